package com.cryptoml.inference.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's configuration reference, the key table and the loader cannot drift apart. */
class ConfigReferenceTest {
  private static final Path README = Files.isRegularFile(Path.of("..", "README.md")) ? Path.of("..", "README.md") : Path.of("README.md");
  private static final String START = "<!-- config-reference:start (generated from ConfigKeys.markdownTable(); ConfigReferenceTest checks it) -->\n";
  private static final String END = "<!-- config-reference:end -->";

  @Test
  void readmeTableIsTheKeyTable() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf(START);
    int end = readme.indexOf(END);
    assertTrue(start >= 0 && end > start, "README lacks the configuration reference markers");
    assertEquals(ConfigKeys.markdownTable(), readme.substring(start + START.length(), end),
        "README's configuration reference is out of date; paste ConfigKeys.markdownTable()");
  }

  @Test
  void everyKeyHasItsCommandLineOption() {
    Set<String> getters = new HashSet<>();
    for (Class<?> type : List.of(StreamOptions.class, BatchOptions.class, DataflowPipelineOptions.class)) {
      for (Method m : type.getMethods()) {
        if (m.getName().startsWith("get") || m.getName().startsWith("is")) {
          String name = m.getName().substring(m.getName().startsWith("get") ? 3 : 2);
          getters.add(Character.toLowerCase(name.charAt(0)) + name.substring(1));
        }
      }
    }
    for (ConfigKeys.Key k : ConfigKeys.ALL) {
      if (!k.option().equals("-")) {
        String option = k.option().split("=")[0];
        assertTrue(getters.contains(option), k.name() + ": no pipeline option --" + option);
      }
    }
  }

  /** Each key with a plain default loads with that default and gives what an absent key gives. */
  @Test
  void everyKeyLoadsAndPlainDefaultsAreTheBuiltInOnes(@TempDir Path dir) throws IOException {
    InferenceConfig builtIn = InferenceConfig.builder().build();
    for (ConfigKeys.Key k : ConfigKeys.ALL) {
      String value = switch (k.type()) {
        case "boolean" -> k.defaultValue().equals("-") ? "true" : k.defaultValue();
        case "list", "list of 1m 5m 15m 1h 4h 1d" -> "[1h]";
        default -> k.defaultValue().matches("[-0-9.a-z_]+") && !k.defaultValue().equals("-") && !k.defaultValue().equals("none")
            ? k.defaultValue() : null;
      };
      value = switch (k.name()) {
        case "timeframe_specific_models" -> "{1h: swing-high-v1-1h}";
        case "experiments" -> "[use_runner_v2]";
        case "resource_hints" -> "{directional: {min_ram: 8GB}}";
        case "autoscaling_algorithm" -> "NONE";
        case "worker_accelerator" -> "type:nvidia-l4;count:1\n  experiments: [use_runner_v2]";
        default -> value != null ? value : k.type().startsWith("int") ? "2" : "x";
      };
      Path file = dir.resolve(k.name() + ".yaml");
      Files.writeString(file, k.section() + ":\n  " + k.name() + ": " + value + "\n");
      InferenceConfig loaded = ConfigLoader.load(file.toString(), null);
      ConfigLoader.dataflow(file.toString());
      if (value.equals(k.defaultValue()) && !k.section().equals(ConfigKeys.DATAFLOW)) {
        assertEquals(String.valueOf(read(builtIn, k.name())), String.valueOf(read(loaded, k.name())), k.name() + " default");
      }
    }
  }

  private static Object read(InferenceConfig c, String key) {
    return switch (key) {
      case "model_cache_size" -> c.modelCacheSize();
      case "batch_size" -> c.batchSize();
      case "warmup_iterations" -> c.warmupIterations();
      case "feature_cache_duration" -> c.featureCacheDuration();
      case "max_feature_age" -> c.maxFeatureAge();
      case "normalize_features" -> c.normalizeFeatures();
      case "max_concurrent_predictions" -> c.maxConcurrentPredictions();
      case "prediction_timeout_ms" -> c.predictionTimeoutMs();
      case "batch_timeout_retries" -> c.batchTimeoutRetries();
      case "use_gpu" -> c.useGpu();
      case "registry" -> c.registryUri();
      case "environment" -> c.environment();
      case "sub_environment" -> c.subEnvironment();
      case "imputation" -> c.imputation();
      case "max_imputed_fraction" -> c.maxImputedFraction();
      case "future_skew" -> c.futureSkew();
      case "reference_clock" -> c.referenceClock();
      case "max_batch_wait_ms" -> c.maxBatchWaitMs();
      case "max_payload_bytes" -> c.maxPayloadBytes();
      case "metrics_interval" -> c.monitoring().metricsInterval();
      case "drift_window_bars" -> c.monitoring().driftWindowBars();
      case "drift_period_bars" -> c.monitoring().driftPeriodBars();
      case "drift_psi_threshold" -> c.monitoring().driftPsiThreshold();
      case "drift_min_samples" -> c.monitoring().driftMinSamples();
      case "outcome_return_feature" -> c.monitoring().outcomeReturnFeature();
      case "outcome_volatility_feature" -> c.monitoring().outcomeVolatilityFeature();
      case "outcome_band" -> c.monitoring().outcomeBand();
      default -> throw new AssertionError("no reader for " + key);
    };
  }
}
