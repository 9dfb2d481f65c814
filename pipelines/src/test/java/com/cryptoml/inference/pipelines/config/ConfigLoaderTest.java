package com.cryptoml.inference.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.InferenceOptions;
import com.cryptoml.inference.transforms.config.Mode;
import com.cryptoml.inference.transforms.config.ResourceHintSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The layers (defaults, environment profile, configuration file, command line), their provenance and their errors. */
class ConfigLoaderTest {
  @TempDir Path dir;

  private String file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }

  private static InferenceConfig load(String... args) {
    return InferenceConfig.of(ConfigLoader.options(args, StreamOptions.class), Mode.LIVE);
  }

  private static ConfigLoader.ConfigException invalid(String... args) {
    return assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.resolve(args));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local-dev", "local-integration", "central-dev", "integration-test", "staging", "production"})
  void everyEnvironmentLoads(String env) {
    ConfigLoader.Resolved r = ConfigLoader.resolve(new String[] {"--environment=" + env});
    InferenceConfig c = load("--environment=" + env);
    DataflowSettings d = r.dataflow();
    assertEquals(env, r.profile());
    assertEquals(env, c.options().getEnvironment());
    assertEquals(EnumSet.allOf(Timeframe.class), c.enabledTimeframes());
    boolean local = env.startsWith("local") || env.equals("integration-test");
    assertEquals(local, d.equals(DataflowSettings.none()), "Dataflow settings only where the job runs on Dataflow");
    assertEquals(env.equals("staging") || env.equals("production"), c.options().getUseGpu());
    assertEquals(c.options().getUseGpu(), d.gpuWorkers(), "use_gpu goes with GPU workers");
    if (local) {
      assertTrue(c.options().getBatchSize() <= 16, "small batches locally");
      assertFalse(c.options().getRegistry().contains("://"), "local registry");
    } else {
      assertTrue(c.options().getBatchSize() >= 32, "full batching");
      assertEquals(Boolean.TRUE, d.get("enable_streaming_engine"));
      assertTrue(d.experiments().contains("use_runner_v2"));
      assertTrue((Integer) d.get("max_num_workers") > (Integer) d.get("num_workers"), "autoscaling room");
    }
    assertEquals(c, load("--config=embedded:" + env), "embedded:NAME is the same profile");
  }

  @Test
  void productionRunsOnGpuWorkersWithHintsPerModelType() {
    DataflowSettings d = ConfigLoader.resolve(new String[] {"--environment=production"}).dataflow();
    assertEquals("type:nvidia-tesla-t4;count:1;install-nvidia-driver", d.get("worker_accelerator"));
    assertEquals("THROUGHPUT_BASED", d.get("autoscaling_algorithm"));
    List<String> args = d.toArgs(true);
    DataflowSettings.KEYS.forEach((key, k) -> assertTrue(args.stream().anyMatch(a -> a.startsWith("--" + k.option().replace("...", ""))),
        "dataflow." + key + " becomes --" + k.option() + ": " + args));
    InferenceConfig c = load("--environment=production");
    assertEquals(new ResourceHintSpec("type:nvidia-tesla-t4;count:1;install-nvidia-driver", "16GB"),
        c.resourceHints().get(ModelType.PATTERN_COMPLETION));
    assertEquals(new ResourceHintSpec(null, "8GB"), c.resourceHints().get(ModelType.SWING_POINTS));
    assertNull(c.resourceHints().get(ModelType.VOLATILITY));
  }

  @Test
  void eachLayerOverridesTheOneBeforeAndSaysSo() throws IOException {
    String config = file("team.yaml", "inference_config:\n  batch_size: 12\n  warmup_iterations: 7\n");
    ConfigLoader.Resolved r = ConfigLoader.resolve(new String[] {"--environment=local-dev", "--config=" + config, "--batchSize=64",
        "--maxFeatureAge=2d", "--enabledTimeframes=1h,4h", "--models=1h=swing-high-v2-1h", "--runner=DirectRunner"});
    assertEquals(ConfigLoader.Source.COMMAND_LINE, r.value("batchSize").source());
    assertEquals(64, r.value("batchSize").value());
    assertEquals(ConfigLoader.Source.CONFIG_FILE, r.value("warmupIterations").source());
    assertEquals(config, r.value("warmupIterations").origin());
    assertEquals(ConfigLoader.Source.ENVIRONMENT, r.value("imputation").source(), "the profile sets every key it names");
    assertEquals("embedded:local-dev", r.value("imputation").origin());
    assertEquals(ConfigLoader.Source.DEFAULT, r.value("batchTimeoutRetries").source(), "local-dev does not name it");
    assertEquals(List.of("--runner=DirectRunner"), r.otherArgs(), "what is not a setting goes to Beam");

    InferenceConfig c = load("--environment=local-dev", "--config=" + config, "--batchSize=64", "--maxFeatureAge=2d",
        "--enabledTimeframes=1h,4h", "--models=1h=swing-high-v2-1h");
    assertEquals(64, c.options().getBatchSize());
    assertEquals(Duration.ofDays(2), c.options().getMaxFeatureAge().duration());
    assertEquals(EnumSet.of(Timeframe.H1, Timeframe.H4), c.enabledTimeframes());
    assertEquals(Map.of(Timeframe.H1, List.of("swing-high-v2-1h")), c.timeframeSpecificModels());
    assertEquals(7, c.options().getWarmupIterations(), "untouched keys keep the file's value");
  }

  @Test
  void aConfigFileAloneStartsFromTheDefaultsNotAProfile() throws IOException {
    String config = file("own.yaml", "inference_config:\n  batch_size: 12\n");
    ConfigLoader.Resolved r = ConfigLoader.resolve(new String[] {"--config=" + config});
    assertNull(r.profile());
    assertEquals(ConfigLoader.Source.DEFAULT, r.value("warmupIterations").source());
    assertEquals(100, r.value("warmupIterations").value());
  }

  @Test
  void yamlAndJsonReadAlike() throws IOException {
    String yaml = file("a.yaml", "inference_config:\n  batch_size: 12\n  max_feature_age: 3h\n  enabled_timeframes: [1h]\n"
        + "  timeframe_specific_models:\n    1h: swing-high-v1-1h\n");
    String json = file("a.json", "{\"inference_config\": {\"batch_size\": 12, \"max_feature_age\": \"3h\", "
        + "\"enabled_timeframes\": [\"1h\"], \"timeframe_specific_models\": {\"1h\": \"swing-high-v1-1h\"}}}");
    InferenceConfig a = load("--config=" + yaml);
    InferenceConfig b = load("--config=" + json);
    assertEquals(12, a.options().getBatchSize());
    assertEquals(a.values(), b.values());
    assertEquals(Duration.ofHours(3), b.options().getMaxFeatureAge().duration());
  }

  @Test
  void everyProblemIsReportedAtOnceNamingItsKeyValueAndWhatIsAllowed() throws IOException {
    String bad = file("bad.yaml", String.join("\n",
        "inference_config:",
        "  batch_sise: 32",
        "  max_feature_age: 7x",
        "  enabled_timeframes: [1h, 2h]",
        "  model_cache_size: 0",
        "  batch_size: -4",
        "  timeframe_specific_models:",
        "    3m: momentum-v1-1m",
        "deployment:",
        "  imputation: guess",
        "dataflow:",
        "  num_workers: 0",
        "  worker_accelerator: nvidia",
        "monitorng: {}",
        ""));
    List<String> problems = invalid("--config=" + bad).problems();
    for (String expected : List.of(
        "unknown key 'inference_config.batch_sise' (did you mean 'inference_config.batch_size'?)",
        "inference_config.max_feature_age (--maxFeatureAge): '7x' is not a duration",
        "inference_config.enabled_timeframes (--enabledTimeframes): unknown timeframe '2h'",
        "inference_config.timeframe_specific_models (--models): unknown timeframe '3m'",
        "inference_config.model_cache_size (--modelCacheSize): '0' is out of range; allowed: int >= 1",
        "inference_config.batch_size (--batchSize): '-4' is out of range; allowed: int >= 1",
        "deployment.imputation (--imputation): 'guess' is not forward_fill_then_mean, forward_fill, mean or skip",
        "dataflow.num_workers: '0' is not an integer >= 1",
        "dataflow.worker_accelerator: 'nvidia' is not",
        "unknown section 'monitorng'")) {
      assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "missing <" + expected + "> in:\n" + problems);
    }
    assertTrue(problems.stream().allMatch(p -> p.startsWith(bad + ": ") || p.startsWith("dataflow.")), problems.toString());
  }

  @Test
  void badCommandLineValuesAreReportedLikeBadKeys() {
    List<String> problems = invalid("--maxFeatureAge=7x", "--enabledTimeframes=1h,2h", "--batchSize=0", "--normalizeFeatures=maybe").problems();
    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("--maxFeatureAge): '7x' is not a duration"), problems.get(0));
    assertTrue(problems.get(1).contains("unknown timeframe '2h'"), problems.get(1));
    assertTrue(problems.get(2).contains("'0' is out of range; allowed: int >= 1"), problems.get(2));
    assertTrue(problems.get(3).contains("'maybe' is not true or false"), problems.get(3));
    assertTrue(invalid("--config=embedded:no-such-env").getMessage().contains("no embedded profile 'no-such-env'"));
    assertTrue(invalid("--environment=no-such-env").getMessage().contains("no environment profile 'no-such-env'"));
    assertTrue(invalid("--registry=https://alice:pw@mlflow.example.com").getMessage().contains("MLFLOW_TRACKING_TOKEN"));
    assertTrue(invalid("--driftWindowBars=10", "--driftPeriodBars=20").getMessage()
        .contains("monitoring.drift_period_bars (20) must be at most monitoring.drift_window_bars (10)"));
  }

  @Test
  void dataflowSectionIsChecked() throws IOException {
    String gpuWithoutRunnerV2 = file("gpu.yaml", "dataflow:\n  worker_accelerator: type:nvidia-l4;count:1;install-nvidia-driver\n"
        + "  num_workers: 4\n  max_num_workers: 2\n  autoscaling_algorithm: FAST\n  region: [europe-west4, us-central1]\n");
    String msg = invalid("--config=" + gpuWithoutRunnerV2).getMessage();
    assertTrue(msg.contains("worker_accelerator needs dataflow.experiments to include use_runner_v2"), msg);
    assertTrue(msg.contains("dataflow.max_num_workers (2) is below dataflow.num_workers (4)"), msg);
    assertTrue(msg.contains("dataflow.autoscaling_algorithm: 'FAST' is not NONE or THROUGHPUT_BASED"), msg);
    assertTrue(msg.contains("dataflow.region: 'europe-west4,us-central1' is not a single value"), msg);

    String hints = file("hints.yaml", "dataflow:\n  resource_hints:\n    momentum: {min_ram: 8GB}\n");
    assertTrue(invalid("--config=" + hints).getMessage().contains("unknown model type 'momentum'"));
    String ram = file("ram.yaml", "dataflow:\n  resource_hints:\n    directional: {min_ram: lots}\n");
    assertTrue(invalid("--config=" + ram).getMessage().contains("min_ram 'lots' is not a size such as 16GB"));
  }

  @Test
  void commandLineDataflowOptionsWinOverTheFile() {
    DataflowSettings d = ConfigLoader.resolve(new String[] {"--environment=production"}).dataflow();
    String[] args = d.under(new String[] {"--maxNumWorkers=40", "--experiments=enable_recommendations"}, true);
    List<String> merged = List.of(args);
    assertFalse(merged.contains("--maxNumWorkers=20"), "file's bound dropped for the command line's");
    assertTrue(merged.contains("--maxNumWorkers=40"));
    assertTrue(merged.contains("--experiments=use_runner_v2") && merged.contains("--experiments=enable_recommendations"),
        "experiments accumulate: " + merged);
    assertTrue(merged.contains("--enableStreamingEngine=true"));
    assertFalse(List.of(d.under(new String[0], false)).contains("--enableStreamingEngine=true"), "batch jobs: no Streaming Engine");
    assertArrayEquals(new String[] {"--x=1"}, DataflowSettings.none().under(new String[] {"--x=1"}, true));
  }

  @Test
  void modelsRoutedToAnotherTimeframeFailTheLaunch() {
    InferenceConfig wrong = load("--environment=integration-test", "--registry=" + registry(), "--artifactCacheDir=" + dir,
        "--models=1h=momentum-v1-1m,swing-high-v1-1h;4h=no-such-model");
    String msg = assertThrows(IllegalArgumentException.class, () -> ModelPreflight.checkRouting(wrong)).getMessage();
    assertTrue(msg.contains("timeframe_specific_models.1h: momentum-v1-1m@champion is a 1m model"), msg);
    assertTrue(msg.contains("timeframe_specific_models.4h: no-such-model@champion is not in the registry"), msg);
    assertFalse(msg.contains("swing-high-v1-1h"), "the well-routed model is not named: " + msg);

    ModelPreflight.checkRouting(load("--environment=integration-test", "--registry=" + registry(), "--artifactCacheDir=" + dir));
  }

  @Test
  void theOptionsCarryEverySetting() {
    InferenceOptions o = ConfigLoader.options(new String[] {"--batchSize=9"}, StreamOptions.class);
    assertEquals(9, o.getBatchSize());
    assertEquals("forward_fill_then_mean", o.getImputation().code());
    assertEquals("testdata/data/registry", o.getRegistry());
  }

  private static String registry() {
    return com.cryptoml.inference.pipelines.PipelineTestData.REGISTRY;
  }
}
