package com.cryptoml.inference.pipelines.config;

import com.cryptoml.inference.pipelines.io.BeamFiles;
import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.options.InferenceOptions;
import com.cryptoml.inference.transforms.config.ImputationPolicy;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.ReferenceClock;
import com.cryptoml.inference.transforms.config.ResourceHintSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an {@code inference_config} file (YAML or JSON) and the command-line overrides into one
 * validated {@link InferenceConfig}. Every problem is reported at once, each naming its key:
 * unknown keys, bad durations ({@code 7x}), unknown timeframes, non-positive sizes.
 */
public final class ConfigLoader {
  public static final String EMBEDDED = "embedded:";

  private ConfigLoader() {}

  /** The file named by {@code --config}, with the options' overrides applied. */
  public static InferenceConfig load(InferenceOptions options) {
    return load(options.getConfig(), options);
  }

  public static InferenceConfig load(String location, InferenceOptions overrides) {
    List<String> problems = new ArrayList<>();
    InferenceConfig.Builder b = InferenceConfig.builder();
    JsonNode root = read(location);
    apply(root, b, problems, location);
    if (overrides != null) {
      override(overrides, b, problems);
    }
    InferenceConfig config = null;
    try {
      config = b.build();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage()); // range checks, reported with the parse problems
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration " + location + ":\n  - " + String.join("\n  - ", problems));
    }
    return config;
  }

  static JsonNode read(String location) {
    try {
      String text;
      if (location.startsWith(EMBEDDED)) {
        String name = location.substring(EMBEDDED.length());
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/config/" + name + ".yaml")) {
          if (in == null) {
            throw new IllegalArgumentException("no embedded configuration '" + name + "' (local-dev, local-integration, "
                + "central-dev, integration-test, staging, production)");
          }
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } else {
        text = BeamFiles.readString(location);
      }
      ObjectMapper mapper = text.trim().startsWith("{") ? new ObjectMapper() : new YAMLMapper();
      JsonNode root = mapper.readTree(text);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("configuration " + location + " is not a mapping");
      }
      return root;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code dataflow:} section of the file named by {@code --config} ({@link DataflowSettings#none()}
   * when it has none), validated like the rest of the file.
   */
  public static DataflowSettings dataflow(String location) {
    List<String> problems = new ArrayList<>();
    JsonNode root = read(location);
    apply(root, InferenceConfig.builder(), problems, location);
    DataflowSection section = new DataflowSection();
    JsonNode node = root.get(ConfigKeys.DATAFLOW);
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> {
        try {
          section.set(e.getKey(), e.getValue(), ConfigKeys.DATAFLOW + "." + e.getKey());
        } catch (IllegalArgumentException ex) {
          problems.add(ex.getMessage());
        }
      });
    }
    DataflowSettings settings = section.build(problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration " + location + ":\n  - " + String.join("\n  - ", problems));
    }
    return settings;
  }

  static void apply(JsonNode root, InferenceConfig.Builder b, List<String> problems, String location) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String section = it.next();
      if (!ConfigKeys.SECTIONS.contains(section)) {
        problems.add("unknown section '" + section + "' (" + String.join(", ", ConfigKeys.SECTIONS) + ")");
      }
    }
    for (String section : ConfigKeys.SECTIONS) {
      JsonNode node = root.get(section);
      if (node == null) {
        continue;
      }
      if (!node.isObject()) {
        problems.add(section + " must be a mapping");
        continue;
      }
      Set<String> known = ConfigKeys.ALL.stream().filter(k -> k.section().equals(section))
          .map(ConfigKeys.Key::name).collect(Collectors.toSet());
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = section + "." + e.getKey();
        if (!known.contains(e.getKey())) {
          problems.add("unknown key '" + key + "'");
          continue;
        }
        try {
          if (section.equals(ConfigKeys.DATAFLOW)) {
            if (e.getKey().equals("resource_hints")) {
              b.resourceHints(resourceHints(e.getValue(), key, problems));
            } else {
              new DataflowSection().set(e.getKey(), e.getValue(), key); // validated here, used by dataflow()
            }
          } else {
            set(b, e.getKey(), e.getValue(), key);
          }
        } catch (IllegalArgumentException ex) {
          problems.add(ex.getMessage());
        }
      }
    }
  }

  private static void set(InferenceConfig.Builder b, String name, JsonNode v, String key) {
    switch (name) {
      case "model_cache_size" -> b.modelCacheSize(integer(v, key));
      case "batch_size" -> b.batchSize(integer(v, key));
      case "warmup_iterations" -> b.warmupIterations(integer(v, key));
      case "feature_cache_duration" -> b.featureCacheDuration(Durations.parse(key, text(v, key)));
      case "max_feature_age" -> b.maxFeatureAge(Durations.parse(key, text(v, key)));
      case "normalize_features" -> b.normalizeFeatures(bool(v, key));
      case "max_concurrent_predictions" -> b.maxConcurrentPredictions(integer(v, key));
      case "prediction_timeout_ms" -> b.predictionTimeoutMs(integer(v, key));
      case "batch_timeout_retries" -> b.batchTimeoutRetries(integer(v, key));
      case "use_gpu" -> b.useGpu(bool(v, key));
      case "enabled_timeframes" -> b.enabledTimeframes(timeframes(list(v, key), key));
      case "timeframe_specific_models" -> b.timeframeSpecificModels(models(v, key));
      case "registry" -> b.registryUri(text(v, key));
      case "artifact_cache_dir" -> b.artifactCacheDir(text(v, key));
      case "symbols" -> b.symbols(new LinkedHashSet<>(list(v, key)));
      case "exchanges" -> b.exchanges(new LinkedHashSet<>(list(v, key)));
      case "environment" -> b.environment(text(v, key));
      case "sub_environment" -> b.subEnvironment(text(v, key));
      case "imputation" -> b.imputation(imputation(text(v, key), key));
      case "max_imputed_fraction" -> b.maxImputedFraction(number(v, key));
      case "future_skew" -> b.futureSkew(Durations.parse(key, text(v, key)));
      case "reference_clock" -> b.referenceClock(clock(text(v, key), key));
      case "max_batch_wait_ms" -> b.maxBatchWaitMs(integer(v, key));
      case "max_payload_bytes" -> b.maxPayloadBytes(integer(v, key));
      case "metrics_interval" -> b.monitoring(b.monitoring().withMetricsInterval(Durations.parse(key, text(v, key))));
      case "drift_window_bars" -> b.monitoring(b.monitoring().withDriftWindowBars(integer(v, key)));
      case "drift_period_bars" -> b.monitoring(b.monitoring().withDriftPeriodBars(integer(v, key)));
      case "drift_psi_threshold" -> b.monitoring(b.monitoring().withDriftPsiThreshold(number(v, key)));
      case "drift_min_samples" -> b.monitoring(b.monitoring().withDriftMinSamples(integer(v, key)));
      case "outcome_return_feature" -> b.monitoring(b.monitoring().withOutcomeReturnFeature(text(v, key)));
      case "outcome_volatility_feature" -> b.monitoring(b.monitoring().withOutcomeVolatilityFeature(v.isNull() ? "" : text(v, key)));
      case "outcome_band" -> b.monitoring(b.monitoring().withOutcomeBand(number(v, key)));
      default -> throw new IllegalArgumentException("unknown key '" + key + "'");
    }
  }

  static void override(InferenceOptions o, InferenceConfig.Builder b, List<String> problems) {
    try {
      if (o.getModelCacheSize() != null) {
        b.modelCacheSize(o.getModelCacheSize());
      }
      if (o.getBatchSize() != null) {
        b.batchSize(o.getBatchSize());
      }
      if (o.getWarmupIterations() != null) {
        b.warmupIterations(o.getWarmupIterations());
      }
      if (o.getFeatureCacheDuration() != null) {
        b.featureCacheDuration(Durations.parse("--featureCacheDuration", o.getFeatureCacheDuration()));
      }
      if (o.getMaxFeatureAge() != null) {
        b.maxFeatureAge(Durations.parse("--maxFeatureAge", o.getMaxFeatureAge()));
      }
      if (o.getNormalizeFeatures() != null) {
        b.normalizeFeatures(o.getNormalizeFeatures());
      }
      if (o.getMaxConcurrentPredictions() != null) {
        b.maxConcurrentPredictions(o.getMaxConcurrentPredictions());
      }
      if (o.getPredictionTimeoutMs() != null) {
        b.predictionTimeoutMs(o.getPredictionTimeoutMs());
      }
      if (o.getBatchTimeoutRetries() != null) {
        b.batchTimeoutRetries(o.getBatchTimeoutRetries());
      }
      if (o.getUseGpu() != null) {
        b.useGpu(o.getUseGpu());
      }
      if (o.getEnabledTimeframes() != null) {
        b.enabledTimeframes(timeframes(o.getEnabledTimeframes(), "--enabledTimeframes"));
      }
      if (o.getModels() != null) {
        b.timeframeSpecificModels(parseModels(o.getModels()));
      }
      if (o.getRegistry() != null) {
        b.registryUri(o.getRegistry());
      }
      if (o.getArtifactCacheDir() != null) {
        b.artifactCacheDir(o.getArtifactCacheDir());
      }
      if (o.getSymbols() != null) {
        b.symbols(new LinkedHashSet<>(o.getSymbols()));
      }
      if (o.getExchanges() != null) {
        b.exchanges(new LinkedHashSet<>(o.getExchanges()));
      }
      if (o.getEnvironment() != null) {
        b.environment(o.getEnvironment());
      }
      if (o.getSubEnvironment() != null) {
        b.subEnvironment(o.getSubEnvironment());
      }
      if (o.getImputation() != null) {
        b.imputation(imputation(o.getImputation(), "--imputation"));
      }
      if (o.getMaxImputedFraction() != null) {
        b.maxImputedFraction(o.getMaxImputedFraction());
      }
      if (o.getFutureSkew() != null) {
        b.futureSkew(Durations.parse("--futureSkew", o.getFutureSkew()));
      }
      if (o.getReferenceClock() != null) {
        b.referenceClock(clock(o.getReferenceClock(), "--referenceClock"));
      }
      if (o.getMaxBatchWaitMs() != null) {
        b.maxBatchWaitMs(o.getMaxBatchWaitMs());
      }
      if (o.getMaxPayloadBytes() != null) {
        b.maxPayloadBytes(o.getMaxPayloadBytes());
      }
      if (o.getMetricsInterval() != null) {
        b.monitoring(b.monitoring().withMetricsInterval(Durations.parse("--metricsInterval", o.getMetricsInterval())));
      }
      if (o.getDriftWindowBars() != null) {
        b.monitoring(b.monitoring().withDriftWindowBars(o.getDriftWindowBars()));
      }
      if (o.getDriftPeriodBars() != null) {
        b.monitoring(b.monitoring().withDriftPeriodBars(o.getDriftPeriodBars()));
      }
      if (o.getDriftPsiThreshold() != null) {
        b.monitoring(b.monitoring().withDriftPsiThreshold(o.getDriftPsiThreshold()));
      }
      if (o.getDriftMinSamples() != null) {
        b.monitoring(b.monitoring().withDriftMinSamples(o.getDriftMinSamples()));
      }
      if (o.getOutcomeReturnFeature() != null) {
        b.monitoring(b.monitoring().withOutcomeReturnFeature(o.getOutcomeReturnFeature()));
      }
      if (o.getOutcomeVolatilityFeature() != null) {
        b.monitoring(b.monitoring().withOutcomeVolatilityFeature(o.getOutcomeVolatilityFeature()));
      }
      if (o.getOutcomeBand() != null) {
        b.monitoring(b.monitoring().withOutcomeBand(o.getOutcomeBand()));
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  /** {@code pattern_completion: {accelerator: ..., min_ram: 16GB}} per model type. */
  private static Map<ModelType, ResourceHintSpec> resourceHints(JsonNode v, String key, List<String> problems) {
    if (!v.isObject()) {
      throw new IllegalArgumentException(key + " must map model types to {accelerator, min_ram}");
    }
    Map<ModelType, ResourceHintSpec> out = new EnumMap<>(ModelType.class);
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        hint(e, key, out);
      } catch (IllegalArgumentException ex) {
        problems.add(ex.getMessage());
      }
    }
    return out;
  }

  private static void hint(Map.Entry<String, JsonNode> e, String key, Map<ModelType, ResourceHintSpec> out) {
    String at = key + "." + e.getKey();
    ModelType type = ModelType.fromCode(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
        at + ": unknown model type (directional, volatility, swing_points, pattern_completion)"));
    JsonNode spec = e.getValue();
    if (!spec.isObject()) {
      throw new IllegalArgumentException(at + " must be {accelerator, min_ram}");
    }
    String accelerator = null;
    String minRam = null;
    for (Iterator<Map.Entry<String, JsonNode>> f = spec.fields(); f.hasNext(); ) {
      Map.Entry<String, JsonNode> h = f.next();
      switch (h.getKey()) {
        case "accelerator" -> {
          accelerator = text(h.getValue(), at + ".accelerator");
          if (!DataflowSettings.ACCELERATOR.matcher(accelerator).matches()) {
            throw new IllegalArgumentException(at + ".accelerator: '" + accelerator
                + "' is not type:<gpu>;count:<n>[;install-nvidia-driver]");
          }
        }
        case "min_ram" -> {
          minRam = text(h.getValue(), at + ".min_ram");
          try {
            org.apache.beam.sdk.transforms.resourcehints.ResourceHints.create().withMinRam(minRam);
          } catch (RuntimeException ex) {
            throw new IllegalArgumentException(at + ".min_ram: '" + minRam + "' is not a size such as 16GB");
          }
        }
        default -> throw new IllegalArgumentException("unknown key '" + at + "." + h.getKey() + "' (accelerator, min_ram)");
      }
    }
    out.put(type, new ResourceHintSpec(accelerator, minRam));
  }

  /** The {@code dataflow:} keys other than {@code resource_hints}, checked as they are read. */
  private static final class DataflowSection {
    private String region;
    private String workerMachineType;
    private Integer numWorkers;
    private Integer maxNumWorkers;
    private String autoscalingAlgorithm;
    private Boolean enableStreamingEngine;
    private List<String> experiments = List.of();
    private String workerAccelerator;
    private String sdkContainerImage;

    void set(String name, JsonNode v, String key) {
      switch (name) {
        case "region" -> region = text(v, key);
        case "worker_machine_type" -> workerMachineType = text(v, key);
        case "num_workers" -> numWorkers = positiveInt(v, key);
        case "max_num_workers" -> maxNumWorkers = positiveInt(v, key);
        case "autoscaling_algorithm" -> {
          autoscalingAlgorithm = text(v, key);
          if (!DataflowSettings.AUTOSCALING.contains(autoscalingAlgorithm)) {
            throw new IllegalArgumentException(key + ": '" + autoscalingAlgorithm + "' is not NONE or THROUGHPUT_BASED");
          }
        }
        case "enable_streaming_engine" -> enableStreamingEngine = bool(v, key);
        case "experiments" -> experiments = list(v, key);
        case "worker_accelerator" -> {
          workerAccelerator = text(v, key);
          if (!DataflowSettings.ACCELERATOR.matcher(workerAccelerator).matches()) {
            throw new IllegalArgumentException(key + ": '" + workerAccelerator
                + "' is not type:<gpu>;count:<n>[;install-nvidia-driver]");
          }
        }
        case "sdk_container_image" -> sdkContainerImage = text(v, key);
        case "resource_hints" -> { } // part of the inference configuration
        default -> throw new IllegalArgumentException("unknown key '" + key + "'");
      }
    }

    DataflowSettings build(List<String> problems) {
      if (numWorkers != null && maxNumWorkers != null && maxNumWorkers < numWorkers) {
        problems.add("dataflow.max_num_workers (" + maxNumWorkers + ") is below dataflow.num_workers (" + numWorkers + ")");
      }
      if (workerAccelerator != null && !experiments.contains("use_runner_v2")) {
        problems.add("dataflow.worker_accelerator needs dataflow.experiments to include use_runner_v2 (Dataflow runs GPUs on Runner v2 only)");
      }
      return new DataflowSettings(region, workerMachineType, numWorkers, maxNumWorkers, autoscalingAlgorithm,
          enableStreamingEngine, experiments, workerAccelerator, sdkContainerImage);
    }
  }

  private static int positiveInt(JsonNode v, String key) {
    int n = integer(v, key);
    if (n < 1) {
      throw new IllegalArgumentException(key + " must be at least 1, got " + n);
    }
    return n;
  }

  /** {@code 1h=a,b;4h=c} to a timeframe map. */
  public static Map<Timeframe, List<String>> parseModels(String spec) {
    Map<Timeframe, List<String>> out = new EnumMap<>(Timeframe.class);
    for (String part : spec.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("--models: '" + part + "' is not timeframe=model[,model]");
      }
      Timeframe tf = timeframe(part.substring(0, eq).trim(), "--models");
      List<String> refs = new ArrayList<>();
      for (String ref : part.substring(eq + 1).split(",")) {
        if (!ref.isBlank()) {
          refs.add(ref.trim());
        }
      }
      out.put(tf, refs);
    }
    return out;
  }

  private static Map<Timeframe, List<String>> models(JsonNode v, String key) {
    if (!v.isObject()) {
      throw new IllegalArgumentException(key + " must map timeframes to model references");
    }
    Map<Timeframe, List<String>> out = new EnumMap<>(Timeframe.class);
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Timeframe tf = timeframe(e.getKey(), key);
      out.put(tf, e.getValue().isTextual() ? List.of(e.getValue().asText()) : list(e.getValue(), key + "." + e.getKey()));
    }
    return out;
  }

  private static Set<Timeframe> timeframes(List<String> codes, String key) {
    Set<Timeframe> out = EnumSet.noneOf(Timeframe.class);
    for (String code : codes) {
      out.add(timeframe(code, key));
    }
    return out;
  }

  private static Timeframe timeframe(String code, String key) {
    return Timeframe.fromCode(code.trim()).orElseThrow(() ->
        new IllegalArgumentException(key + ": unknown timeframe '" + code + "' (1m, 5m, 15m, 1h, 4h, 1d)"));
  }

  private static ImputationPolicy imputation(String text, String key) {
    try {
      return ImputationPolicy.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": '" + text + "' is not forward_fill_then_mean, forward_fill, mean or skip");
    }
  }

  private static ReferenceClock clock(String text, String key) {
    try {
      return ReferenceClock.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": '" + text + "' is not wall, none or an ISO-8601 instant");
    }
  }

  private static int integer(JsonNode v, String key) {
    if (!v.isIntegralNumber()) {
      throw new IllegalArgumentException(key + " must be an integer, got " + v);
    }
    return v.asInt();
  }

  private static double number(JsonNode v, String key) {
    if (!v.isNumber()) {
      throw new IllegalArgumentException(key + " must be a number, got " + v);
    }
    return v.asDouble();
  }

  private static boolean bool(JsonNode v, String key) {
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(key + " must be true or false, got " + v);
    }
    return v.asBoolean();
  }

  private static String text(JsonNode v, String key) {
    if (!v.isTextual() && !v.isNumber()) {
      throw new IllegalArgumentException(key + " must be a string, got " + v);
    }
    return v.asText();
  }

  private static List<String> list(JsonNode v, String key) {
    if (!v.isArray()) {
      throw new IllegalArgumentException(key + " must be a list, got " + v);
    }
    List<String> out = new ArrayList<>();
    v.forEach(x -> out.add(x.asText()));
    return out;
  }
}
