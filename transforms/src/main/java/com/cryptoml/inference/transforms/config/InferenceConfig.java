package com.cryptoml.inference.transforms.config;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.serving.LoadOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request's {@code inference_config}, with its keys unchanged, plus what a deployment needs
 * beside them (registry, symbols and exchanges, event envelope, imputation). Immutable and
 * serializable: DoFns carry it.
 *
 * <p>{@code timeframe_specific_models} maps a timeframe to one or more model references
 * ({@code swing-high-v1-1h}, {@code swing-high-v1-1h@challenger}, {@code momentum-v1-1d:3}).
 */
public final class InferenceConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  // The request's keys.
  private final int modelCacheSize;
  private final int batchSize;
  private final int warmupIterations;
  private final Duration featureCacheDuration;
  private final Duration maxFeatureAge;
  private final boolean normalizeFeatures;
  private final int maxConcurrentPredictions;
  private final int predictionTimeoutMs;
  private final int batchTimeoutRetries;
  private final boolean useGpu;
  private final Set<Timeframe> enabledTimeframes;
  private final Map<Timeframe, List<String>> timeframeSpecificModels;

  // Deployment settings beside them.
  private final String registryUri;
  private final String artifactCacheDir;
  private final Set<String> symbols;
  private final Set<String> exchanges;
  private final String environment;
  private final String subEnvironment;
  private final String mode;
  private final ImputationPolicy imputation;
  private final double maxImputedFraction;
  private final Duration futureSkew;
  private final ReferenceClock referenceClock;
  private final int maxBatchWaitMs;
  private final int maxPayloadBytes;
  private final Map<ModelType, ResourceHintSpec> resourceHints;
  private final MonitoringConfig monitoring;

  private InferenceConfig(Builder b) {
    this.modelCacheSize = b.modelCacheSize;
    this.batchSize = b.batchSize;
    this.warmupIterations = b.warmupIterations;
    this.featureCacheDuration = b.featureCacheDuration;
    this.maxFeatureAge = b.maxFeatureAge;
    this.normalizeFeatures = b.normalizeFeatures;
    this.maxConcurrentPredictions = b.maxConcurrentPredictions;
    this.predictionTimeoutMs = b.predictionTimeoutMs;
    this.batchTimeoutRetries = b.batchTimeoutRetries;
    this.useGpu = b.useGpu;
    this.enabledTimeframes = Collections.unmodifiableSet(EnumSet.copyOf(b.enabledTimeframes));
    EnumMap<Timeframe, List<String>> models = new EnumMap<>(Timeframe.class);
    b.timeframeSpecificModels.forEach((tf, refs) -> models.put(tf, List.copyOf(refs)));
    this.timeframeSpecificModels = Collections.unmodifiableMap(models);
    this.registryUri = b.registryUri;
    this.artifactCacheDir = b.artifactCacheDir;
    this.symbols = Collections.unmodifiableSet(new LinkedHashSet<>(b.symbols));
    this.exchanges = Collections.unmodifiableSet(new LinkedHashSet<>(b.exchanges));
    this.environment = b.environment;
    this.subEnvironment = b.subEnvironment;
    this.mode = b.mode;
    this.imputation = b.imputation;
    this.maxImputedFraction = b.maxImputedFraction;
    this.futureSkew = b.futureSkew;
    this.referenceClock = b.referenceClock;
    this.maxBatchWaitMs = b.maxBatchWaitMs;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.resourceHints = Collections.unmodifiableMap(new EnumMap<>(b.resourceHints));
    this.monitoring = b.monitoring;
  }

  public int modelCacheSize() {
    return modelCacheSize;
  }

  public int batchSize() {
    return batchSize;
  }

  public int warmupIterations() {
    return warmupIterations;
  }

  /** How far back a key's history (and forward fill) reaches, at least one bar. */
  public Duration featureCacheDuration() {
    return featureCacheDuration;
  }

  public Duration maxFeatureAge() {
    return maxFeatureAge;
  }

  public boolean normalizeFeatures() {
    return normalizeFeatures;
  }

  public int maxConcurrentPredictions() {
    return maxConcurrentPredictions;
  }

  public int predictionTimeoutMs() {
    return predictionTimeoutMs;
  }

  /**
   * How many times a backfill runs a model call that timed out again before dead-lettering its rows.
   * A stream never does: its deadline has passed.
   */
  public int batchTimeoutRetries() {
    return batchTimeoutRetries;
  }

  public boolean useGpu() {
    return useGpu;
  }

  public Set<Timeframe> enabledTimeframes() {
    return enabledTimeframes;
  }

  public Map<Timeframe, List<String>> timeframeSpecificModels() {
    return timeframeSpecificModels;
  }

  /** Every model reference of the enabled timeframes, parsed. */
  public List<ModelRef> modelRefs() {
    List<ModelRef> refs = new ArrayList<>();
    for (Timeframe tf : enabledTimeframes) {
      for (String spec : timeframeSpecificModels.getOrDefault(tf, List.of())) {
        refs.add(ModelRef.parse(spec));
      }
    }
    return refs;
  }

  public String registryUri() {
    return registryUri;
  }

  public String artifactCacheDir() {
    return artifactCacheDir;
  }

  /** Configured symbols; empty accepts any. */
  public Set<String> symbols() {
    return symbols;
  }

  /** Configured exchanges; empty accepts any. */
  public Set<String> exchanges() {
    return exchanges;
  }

  public String environment() {
    return environment;
  }

  public String subEnvironment() {
    return subEnvironment;
  }

  public String mode() {
    return mode;
  }

  public ImputationPolicy imputation() {
    return imputation;
  }

  /** Above this share of imputed inputs a model skips the bar (dead letter {@code incomplete_features}). */
  public double maxImputedFraction() {
    return maxImputedFraction;
  }

  public Duration futureSkew() {
    return futureSkew;
  }

  public ReferenceClock referenceClock() {
    return referenceClock;
  }

  /**
   * Longest a streaming batch waits to fill across bundles before it is predicted anyway; 0 forms
   * batches within bundles only (no waiting).
   */
  public int maxBatchWaitMs() {
    return maxBatchWaitMs;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /**
   * Resources per model type for the inference step; when any is set, the step is split by model
   * type so each type runs where its hints place it (Dataflow GPU workers for one type, say).
   */
  public Map<ModelType, ResourceHintSpec> resourceHints() {
    return resourceHints;
  }

  /** The {@code monitoring:} section: metrics interval, drift windows and threshold, outcome rule. */
  public MonitoringConfig monitoring() {
    return monitoring;
  }

  /** Bars a key keeps for forward fill: {@code feature_cache_duration} in bars, at least one. */
  public int forwardFillBars(Timeframe tf) {
    long bars = featureCacheDuration.toMillis() / tf.barLength().toMillis();
    return (int) Math.max(1, Math.min(256, bars));
  }

  public LoadOptions loadOptions() {
    return new LoadOptions(artifactCacheDir, warmupIterations, batchSize, useGpu);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.modelCacheSize = modelCacheSize;
    b.batchSize = batchSize;
    b.warmupIterations = warmupIterations;
    b.featureCacheDuration = featureCacheDuration;
    b.maxFeatureAge = maxFeatureAge;
    b.normalizeFeatures = normalizeFeatures;
    b.maxConcurrentPredictions = maxConcurrentPredictions;
    b.predictionTimeoutMs = predictionTimeoutMs;
    b.batchTimeoutRetries = batchTimeoutRetries;
    b.useGpu = useGpu;
    b.enabledTimeframes = EnumSet.copyOf(enabledTimeframes);
    b.timeframeSpecificModels = new EnumMap<>(timeframeSpecificModels);
    b.registryUri = registryUri;
    b.artifactCacheDir = artifactCacheDir;
    b.symbols = new LinkedHashSet<>(symbols);
    b.exchanges = new LinkedHashSet<>(exchanges);
    b.environment = environment;
    b.subEnvironment = subEnvironment;
    b.mode = mode;
    b.imputation = imputation;
    b.maxImputedFraction = maxImputedFraction;
    b.futureSkew = futureSkew;
    b.referenceClock = referenceClock;
    b.maxBatchWaitMs = maxBatchWaitMs;
    b.maxPayloadBytes = maxPayloadBytes;
    b.resourceHints = new EnumMap<>(ModelType.class);
    b.resourceHints.putAll(resourceHints);
    b.monitoring = monitoring;
    return b;
  }

  /** The request's example values, everything enabled, no models. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the request's example values as defaults. */
  public static final class Builder {
    private int modelCacheSize = 10;
    private int batchSize = 32;
    private int warmupIterations = 100;
    private Duration featureCacheDuration = Duration.ofHours(1);
    private Duration maxFeatureAge = Duration.ofDays(7);
    private boolean normalizeFeatures = true;
    private int maxConcurrentPredictions = 100;
    private int predictionTimeoutMs = 100;
    private int batchTimeoutRetries = 2;
    private boolean useGpu = false;
    private Set<Timeframe> enabledTimeframes = EnumSet.allOf(Timeframe.class);
    private Map<Timeframe, List<String>> timeframeSpecificModels = new EnumMap<>(Timeframe.class);
    private String registryUri = "testdata/data/registry";
    private String artifactCacheDir = LoadOptions.defaultCacheDir().toString();
    private Set<String> symbols = new LinkedHashSet<>();
    private Set<String> exchanges = new LinkedHashSet<>();
    private String environment = "local-dev";
    private String subEnvironment = "live";
    private String mode = "live";
    private ImputationPolicy imputation = ImputationPolicy.FORWARD_FILL_THEN_MEAN;
    private double maxImputedFraction = 0.5;
    private Duration futureSkew = Duration.ofSeconds(30);
    private ReferenceClock referenceClock = ReferenceClock.wall();
    private int maxBatchWaitMs = 10;
    private int maxPayloadBytes = 64 * 1024;
    private Map<ModelType, ResourceHintSpec> resourceHints = new EnumMap<>(ModelType.class);
    private MonitoringConfig monitoring = MonitoringConfig.defaults();

    public Builder modelCacheSize(int v) {
      modelCacheSize = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder warmupIterations(int v) {
      warmupIterations = v;
      return this;
    }

    public Builder featureCacheDuration(Duration v) {
      featureCacheDuration = v;
      return this;
    }

    public Builder maxFeatureAge(Duration v) {
      maxFeatureAge = v;
      return this;
    }

    public Builder normalizeFeatures(boolean v) {
      normalizeFeatures = v;
      return this;
    }

    public Builder maxConcurrentPredictions(int v) {
      maxConcurrentPredictions = v;
      return this;
    }

    public Builder predictionTimeoutMs(int v) {
      predictionTimeoutMs = v;
      return this;
    }

    public Builder batchTimeoutRetries(int v) {
      batchTimeoutRetries = v;
      return this;
    }

    public Builder useGpu(boolean v) {
      useGpu = v;
      return this;
    }

    public Builder enabledTimeframes(Set<Timeframe> v) {
      enabledTimeframes = EnumSet.copyOf(v);
      return this;
    }

    public Builder timeframeSpecificModels(Map<Timeframe, List<String>> v) {
      timeframeSpecificModels = new EnumMap<>(Timeframe.class);
      timeframeSpecificModels.putAll(v);
      return this;
    }

    public Builder models(Timeframe tf, String... refs) {
      timeframeSpecificModels.put(tf, List.of(refs));
      return this;
    }

    public Builder registryUri(String v) {
      registryUri = v;
      return this;
    }

    public Builder artifactCacheDir(String v) {
      artifactCacheDir = v;
      return this;
    }

    public Builder symbols(Set<String> v) {
      symbols = new LinkedHashSet<>(v);
      return this;
    }

    public Builder exchanges(Set<String> v) {
      exchanges = new LinkedHashSet<>(v);
      return this;
    }

    public Builder environment(String v) {
      environment = v;
      return this;
    }

    public Builder subEnvironment(String v) {
      subEnvironment = v;
      return this;
    }

    public Builder mode(String v) {
      mode = v;
      return this;
    }

    public Builder imputation(ImputationPolicy v) {
      imputation = v;
      return this;
    }

    public Builder maxImputedFraction(double v) {
      maxImputedFraction = v;
      return this;
    }

    public Builder futureSkew(Duration v) {
      futureSkew = v;
      return this;
    }

    public Builder referenceClock(ReferenceClock v) {
      referenceClock = v;
      return this;
    }

    public Builder maxBatchWaitMs(int v) {
      maxBatchWaitMs = v;
      return this;
    }

    public Builder maxPayloadBytes(int v) {
      maxPayloadBytes = v;
      return this;
    }

    public Builder monitoring(MonitoringConfig v) {
      monitoring = v;
      return this;
    }

    public MonitoringConfig monitoring() {
      return monitoring;
    }

    public Builder resourceHint(ModelType type, ResourceHintSpec spec) {
      resourceHints.put(type, spec);
      return this;
    }

    public Builder resourceHints(Map<ModelType, ResourceHintSpec> hints) {
      resourceHints = new EnumMap<>(ModelType.class);
      resourceHints.putAll(hints);
      return this;
    }

    public InferenceConfig build() {
      List<String> problems = new ArrayList<>();
      positive(problems, "model_cache_size", modelCacheSize);
      positive(problems, "batch_size", batchSize);
      positive(problems, "max_concurrent_predictions", maxConcurrentPredictions);
      positive(problems, "prediction_timeout_ms", predictionTimeoutMs);
      problems.addAll(monitoring.problems());
      if (maxBatchWaitMs < 0) {
        problems.add("max_batch_wait_ms must be >= 0, got " + maxBatchWaitMs);
      }
      if (batchTimeoutRetries < 0) {
        problems.add("batch_timeout_retries must be >= 0, got " + batchTimeoutRetries);
      }
      if (warmupIterations < 0) {
        problems.add("warmup_iterations must be >= 0, got " + warmupIterations);
      }
      if (featureCacheDuration.isNegative() || featureCacheDuration.isZero()) {
        problems.add("feature_cache_duration must be positive");
      }
      if (maxFeatureAge.isNegative() || maxFeatureAge.isZero()) {
        problems.add("max_feature_age must be positive");
      }
      if (enabledTimeframes.isEmpty()) {
        problems.add("enabled_timeframes must name at least one timeframe");
      }
      if (!(maxImputedFraction >= 0 && maxImputedFraction <= 1)) {
        problems.add("max_imputed_fraction must be in [0, 1]");
      }
      for (Map.Entry<Timeframe, List<String>> e : timeframeSpecificModels.entrySet()) {
        for (String ref : e.getValue()) {
          try {
            ModelRef.parse(ref);
          } catch (IllegalArgumentException ex) {
            problems.add("timeframe_specific_models." + e.getKey() + ": " + ex.getMessage());
          }
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid inference_config: " + String.join("; ", problems));
      }
      return new InferenceConfig(this);
    }

    private static void positive(List<String> problems, String key, int value) {
      if (value < 1) {
        problems.add(key + " must be >= 1, got " + value);
      }
    }
  }
}
