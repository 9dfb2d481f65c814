package com.cryptoml.inference.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.options.InferenceOptions;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.ResourceHintSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private String file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }

  private static IllegalArgumentException invalid(String location, String... args) {
    InferenceOptions o = PipelineOptionsFactory.fromArgs(args).as(InferenceOptions.class);
    return assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(location, o));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local-dev", "local-integration", "central-dev", "integration-test", "staging", "production"})
  void everyEnvironmentLoads(String env) {
    InferenceConfig c = ConfigLoader.load("embedded:" + env, null);
    DataflowSettings d = ConfigLoader.dataflow("embedded:" + env);
    assertEquals(env, c.environment());
    assertEquals(EnumSet.allOf(Timeframe.class), c.enabledTimeframes());
    boolean local = env.startsWith("local") || env.equals("integration-test");
    assertEquals(local, d.equals(DataflowSettings.none()), "Dataflow settings only where the job runs on Dataflow");
    assertEquals(env.equals("staging") || env.equals("production"), c.useGpu());
    assertEquals(c.useGpu(), d.gpuWorkers(), "use_gpu goes with GPU workers");
    if (local) {
      assertTrue(c.batchSize() <= 16, "small batches locally");
      assertFalse(c.registryUri().contains("://"), "local registry");
    } else {
      assertTrue(c.batchSize() >= 32, "full batching");
      assertEquals(Boolean.TRUE, d.enableStreamingEngine());
      assertTrue(d.experiments().contains("use_runner_v2"));
      assertTrue(d.maxNumWorkers() > d.numWorkers(), "autoscaling room");
    }
  }

  @Test
  void productionRunsOnGpuWorkersWithHintsPerModelType() {
    DataflowSettings d = ConfigLoader.dataflow("embedded:production");
    assertEquals("type:nvidia-tesla-t4;count:1;install-nvidia-driver", d.workerAccelerator());
    assertEquals("THROUGHPUT_BASED", d.autoscalingAlgorithm());
    InferenceConfig c = ConfigLoader.load("embedded:production", null);
    assertEquals(new ResourceHintSpec("type:nvidia-tesla-t4;count:1;install-nvidia-driver", "16GB"),
        c.resourceHints().get(ModelType.PATTERN_COMPLETION));
    assertEquals(new ResourceHintSpec(null, "8GB"), c.resourceHints().get(ModelType.SWING_POINTS));
    assertNull(c.resourceHints().get(ModelType.VOLATILITY));
  }

  @Test
  void commandLineOverridesTheFile() {
    InferenceOptions o = PipelineOptionsFactory.fromArgs("--batchSize=64", "--maxFeatureAge=2d",
        "--enabledTimeframes=1h,4h", "--models=1h=swing-high-v2-1h").as(InferenceOptions.class);
    InferenceConfig c = ConfigLoader.load("embedded:local-dev", o);
    assertEquals(64, c.batchSize());
    assertEquals(Duration.ofDays(2), c.maxFeatureAge());
    assertEquals(EnumSet.of(Timeframe.H1, Timeframe.H4), c.enabledTimeframes());
    assertEquals(Map.of(Timeframe.H1, List.of("swing-high-v2-1h")), c.timeframeSpecificModels());
    assertEquals(5, c.warmupIterations(), "untouched keys keep the file's value");
  }

  @Test
  void yamlAndJsonReadAlike() throws IOException {
    String yaml = file("a.yaml", "inference_config:\n  batch_size: 12\n  max_feature_age: 3h\n  enabled_timeframes: [1h]\n"
        + "  timeframe_specific_models:\n    1h: swing-high-v1-1h\n");
    String json = file("a.json", "{\"inference_config\": {\"batch_size\": 12, \"max_feature_age\": \"3h\", "
        + "\"enabled_timeframes\": [\"1h\"], \"timeframe_specific_models\": {\"1h\": \"swing-high-v1-1h\"}}}");
    InferenceConfig a = ConfigLoader.load(yaml, null);
    InferenceConfig b = ConfigLoader.load(json, null);
    assertEquals(12, a.batchSize());
    assertEquals(a.batchSize(), b.batchSize());
    assertEquals(Duration.ofHours(3), b.maxFeatureAge());
    assertEquals(a.timeframeSpecificModels(), b.timeframeSpecificModels());
  }

  @Test
  void everyProblemIsReportedAtOnceNamingItsKey() throws IOException {
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
    String msg = invalid(bad).getMessage();
    for (String expected : List.of(
        "unknown key 'inference_config.batch_sise'",
        "inference_config.max_feature_age: '7x' is not a duration",
        "inference_config.enabled_timeframes: unknown timeframe '2h'",
        "inference_config.timeframe_specific_models: unknown timeframe '3m'",
        "model_cache_size must be >= 1, got 0",
        "batch_size must be >= 1, got -4",
        "deployment.imputation: 'guess' is not",
        "dataflow.num_workers must be at least 1",
        "dataflow.worker_accelerator: 'nvidia' is not",
        "unknown section 'monitorng'")) {
      assertTrue(msg.contains(expected), "missing <" + expected + "> in:\n" + msg);
    }
    assertTrue(msg.startsWith("invalid configuration " + bad), msg);
  }

  @Test
  void badOverridesAreReportedLikeBadKeys() {
    assertTrue(invalid("embedded:local-dev", "--maxFeatureAge=7x").getMessage()
        .contains("--maxFeatureAge: '7x' is not a duration"));
    assertTrue(invalid("embedded:local-dev", "--enabledTimeframes=1h,2h").getMessage()
        .contains("--enabledTimeframes: unknown timeframe '2h'"));
    assertTrue(invalid("embedded:local-dev", "--batchSize=0").getMessage().contains("batch_size must be >= 1, got 0"));
    assertTrue(invalid("embedded:no-such-env").getMessage().contains("no embedded configuration 'no-such-env'"));
  }

  @Test
  void dataflowSectionIsChecked() throws IOException {
    String gpuWithoutRunnerV2 = file("gpu.yaml", "dataflow:\n  worker_accelerator: type:nvidia-l4;count:1;install-nvidia-driver\n"
        + "  num_workers: 4\n  max_num_workers: 2\n  autoscaling_algorithm: FAST\n");
    String msg = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.dataflow(gpuWithoutRunnerV2)).getMessage();
    assertTrue(msg.contains("worker_accelerator needs dataflow.experiments to include use_runner_v2"), msg);
    assertTrue(msg.contains("dataflow.max_num_workers (2) is below dataflow.num_workers (4)"), msg);
    assertTrue(msg.contains("dataflow.autoscaling_algorithm: 'FAST' is not NONE or THROUGHPUT_BASED"), msg);

    String hints = file("hints.yaml", "dataflow:\n  resource_hints:\n    momentum: {min_ram: 8GB}\n"
        + "    directional: {min_ram: lots, cpus: 4}\n");
    String hintMsg = invalid(hints).getMessage();
    assertTrue(hintMsg.contains("dataflow.resource_hints.momentum: unknown model type"), hintMsg);
    assertTrue(hintMsg.contains("dataflow.resource_hints.directional.min_ram: 'lots' is not a size"), hintMsg);
  }

  @Test
  void commandLineDataflowOptionsWinOverTheFile() {
    DataflowSettings d = ConfigLoader.dataflow("embedded:production");
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
    InferenceConfig wrong = ConfigLoader.load("embedded:integration-test",
        PipelineOptionsFactory.fromArgs("--registry=" + registry(), "--artifactCacheDir=" + dir,
            "--models=1h=momentum-v1-1m,swing-high-v1-1h;4h=no-such-model").as(InferenceOptions.class));
    String msg = assertThrows(IllegalArgumentException.class, () -> ModelRoutingCheck.check(wrong)).getMessage();
    assertTrue(msg.contains("timeframe_specific_models.1h: momentum-v1-1m is a 1m model"), msg);
    assertTrue(msg.contains("timeframe_specific_models.4h: no-such-model is not in the registry"), msg);
    assertFalse(msg.contains("swing-high-v1-1h"), "the well-routed model is not named: " + msg);

    ModelRoutingCheck.check(ConfigLoader.load("embedded:integration-test",
        PipelineOptionsFactory.fromArgs("--registry=" + registry(), "--artifactCacheDir=" + dir).as(InferenceOptions.class)));
  }

  private static String registry() {
    return com.cryptoml.inference.pipelines.PipelineTestData.REGISTRY;
  }
}
