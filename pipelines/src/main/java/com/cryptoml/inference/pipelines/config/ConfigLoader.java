package com.cryptoml.inference.pipelines.config;

import com.cryptoml.inference.models.artifacts.BeamFiles;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.options.InferenceOptions;
import com.cryptoml.inference.transforms.config.ImputationPolicy;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.ReferenceClock;
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
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration " + location + ":\n  - " + String.join("\n  - ", problems));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration " + location + ": " + e.getMessage(), e);
    }
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

  static void apply(JsonNode root, InferenceConfig.Builder b, List<String> problems, String location) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String section = it.next();
      if (!section.equals(ConfigKeys.INFERENCE) && !section.equals(ConfigKeys.DEPLOYMENT)) {
        problems.add("unknown section '" + section + "' (inference_config, deployment)");
      }
    }
    for (String section : List.of(ConfigKeys.INFERENCE, ConfigKeys.DEPLOYMENT)) {
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
          set(b, e.getKey(), e.getValue(), key);
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
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
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
