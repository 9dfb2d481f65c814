package com.cryptoml.inference.transforms;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.config.ImputationPolicy;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.Mode;
import com.cryptoml.inference.transforms.config.ReferenceClock;
import com.cryptoml.inference.transforms.config.ResourceHintSpec;
import com.cryptoml.inference.transforms.config.ResourceHintsByType;
import com.cryptoml.inference.transforms.config.Span;
import com.cryptoml.inference.transforms.config.TimeframeModels;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tests' shorthand for an {@link InferenceConfig}: named steps over {@link InferenceConfig#with}, then {@link #build}. */
public final class ConfigBuilder {
  private InferenceConfig config;
  private final Map<Timeframe, List<String>> models = new EnumMap<>(Timeframe.class);
  private final Map<ModelType, ResourceHintSpec> hints = new LinkedHashMap<>();

  private ConfigBuilder(InferenceConfig config) {
    this.config = config;
    this.models.putAll(config.timeframeSpecificModels());
    this.hints.putAll(config.resourceHints());
  }

  /** Every setting at its default, live. */
  public static ConfigBuilder defaults() {
    return new ConfigBuilder(InferenceConfig.defaults(Mode.LIVE));
  }

  public static ConfigBuilder from(InferenceConfig config) {
    return new ConfigBuilder(config);
  }

  private ConfigBuilder set(String option, Object value) {
    config = config.with(option, value);
    return this;
  }

  public ConfigBuilder registryUri(String v) {
    return set("registry", v);
  }

  public ConfigBuilder artifactCacheDir(String v) {
    return set("artifactCacheDir", v);
  }

  public ConfigBuilder warmupIterations(int v) {
    return set("warmupIterations", v);
  }

  public ConfigBuilder predictionTimeoutMs(int v) {
    return set("predictionTimeoutMs", v);
  }

  public ConfigBuilder referenceClock(ReferenceClock v) {
    return set("referenceClock", v);
  }

  public ConfigBuilder maxFeatureAge(Duration v) {
    return set("maxFeatureAge", Span.of(v));
  }

  public ConfigBuilder featureCacheDuration(Duration v) {
    return set("featureCacheDuration", Span.of(v));
  }

  public ConfigBuilder futureSkew(Duration v) {
    return set("futureSkew", Span.of(v));
  }

  public ConfigBuilder environment(String v) {
    return set("environment", v);
  }

  public ConfigBuilder subEnvironment(String v) {
    return set("subEnvironment", v);
  }

  public ConfigBuilder models(Timeframe tf, String... refs) {
    models.put(tf, List.of(refs));
    return set("models", TimeframeModels.of(models));
  }

  public ConfigBuilder timeframeSpecificModels(Map<Timeframe, List<String>> v) {
    models.clear();
    models.putAll(v);
    return set("models", TimeframeModels.of(models));
  }

  public ConfigBuilder batchSize(int v) {
    return set("batchSize", v);
  }

  public ConfigBuilder batchTimeoutRetries(int v) {
    return set("batchTimeoutRetries", v);
  }

  public ConfigBuilder maxConcurrentPredictions(int v) {
    return set("maxConcurrentPredictions", v);
  }

  public ConfigBuilder modelCacheSize(int v) {
    return set("modelCacheSize", v);
  }

  public ConfigBuilder maxBatchWaitMs(int v) {
    return set("maxBatchWaitMs", v);
  }

  public ConfigBuilder maxPayloadBytes(int v) {
    return set("maxPayloadBytes", v);
  }

  public ConfigBuilder normalizeFeatures(boolean v) {
    return set("normalizeFeatures", v);
  }

  public ConfigBuilder useGpu(boolean v) {
    return set("useGpu", v);
  }

  public ConfigBuilder imputation(ImputationPolicy v) {
    return set("imputation", v);
  }

  public ConfigBuilder maxImputedFraction(double v) {
    return set("maxImputedFraction", v);
  }

  public ConfigBuilder enabledTimeframes(Set<Timeframe> v) {
    return set("enabledTimeframes", new ArrayList<>(v));
  }

  public ConfigBuilder symbols(Set<String> v) {
    return set("symbols", new ArrayList<>(v));
  }

  public ConfigBuilder exchanges(Set<String> v) {
    return set("exchanges", new ArrayList<>(v));
  }

  public ConfigBuilder mode(String v) {
    config = config.withMode(v.equals("live") ? Mode.LIVE : Mode.BATCH);
    return this;
  }

  public ConfigBuilder withDriftWindowBars(int v) {
    return set("driftWindowBars", v);
  }

  public ConfigBuilder withDriftPeriodBars(int v) {
    return set("driftPeriodBars", v);
  }

  public ConfigBuilder withDriftPsiThreshold(double v) {
    return set("driftPsiThreshold", v);
  }

  public ConfigBuilder withDriftMinSamples(int v) {
    return set("driftMinSamples", v);
  }

  public ConfigBuilder withMetricsInterval(Duration v) {
    return set("metricsInterval", Span.of(v));
  }

  public ConfigBuilder withOutcomeBand(double v) {
    return set("outcomeBand", v);
  }

  public ConfigBuilder withOutcomeVolatilityFeature(String v) {
    return set("outcomeVolatilityFeature", v);
  }

  public ConfigBuilder withOutcomeReturnFeature(String v) {
    return set("outcomeReturnFeature", v);
  }

  public ConfigBuilder resourceHint(ModelType type, ResourceHintSpec spec) {
    hints.put(type, spec);
    return set("resourceHintsByModelType", hintsValue());
  }

  public ConfigBuilder resourceHints(Map<ModelType, ResourceHintSpec> v) {
    hints.clear();
    hints.putAll(v);
    return set("resourceHintsByModelType", hintsValue());
  }

  private ResourceHintsByType hintsValue() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    hints.forEach((type, spec) -> {
      ObjectNode s = o.putObject(type.code());
      if (spec.accelerator() != null) {
        s.put("accelerator", spec.accelerator());
      }
      if (spec.minRam() != null) {
        s.put("min_ram", spec.minRam());
      }
    });
    return ResourceHintsByType.from(o);
  }

  public InferenceConfig build() {
    return config;
  }
}
