package com.cryptoml.inference.pipelines.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.config.DataflowSettings;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.StreamingPipeline;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production streaming job translated for Dataflow, offline: production.yaml's {@code dataflow:}
 * section lands in the job as Runner v2, Streaming Engine, GPU workers, autoscaling bounds and the
 * custom container, and each model type's inference step carries its resource hints.
 */
class DataflowStreamingTranslationTest {
  @Test
  void productionStreamingJob(@TempDir Path dir) throws Exception {
    String[] commandLine = {
        "--runner=DataflowRunner",
        "--config=embedded:production",
        "--registry=" + PipelineTestData.REGISTRY, // production's is Vertex AI; translation needs no models, the graph does
        "--bootstrapServers=kafka-0.prod.internal:9092",
        "--maxNumWorkers=12", // the command line wins over the file
        "--streaming=true"};
    DataflowSettings settings = ConfigLoader.resolve(commandLine).dataflow();
    StreamOptions options = ConfigLoader.options(settings.under(commandLine, true), StreamOptions.class);
    TranslatedJob.offline(options, dir, "stream-translation");
    Pipeline p = Pipeline.create(options);
    StreamingPipeline.build(p, options);
    p.run();
    TranslatedJob job = TranslatedJob.read(options);

    assertEquals("FNAPI_STREAMING", job.environment().get("version").get("job_type").asText(), "a streaming job on Runner v2");
    List<String> experiments = job.environmentList("experiments");
    assertTrue(experiments.contains("use_runner_v2"), "Runner v2: " + experiments);
    assertTrue(experiments.contains("enable_streaming_engine"), "Streaming Engine: " + experiments);
    assertEquals(List.of("worker_accelerator=type:nvidia-tesla-t4;count:1;install-nvidia-driver"), job.environmentList("serviceOptions"));
    JsonNode pool = job.workerPool();
    assertEquals("n1-standard-8", pool.get("machineType").asText());
    assertEquals(3, pool.get("numWorkers").asInt());
    assertEquals(12, pool.get("autoscalingSettings").get("maxNumWorkers").asInt());
    assertEquals("europe-west4-docker.pkg.dev/quant-prod/inference/worker-gpu:latest",
        pool.get("sdkHarnessContainerImages").get(0).get("containerImage").asText());

    Set<String> names = job.transformNames();
    for (String step : List.of("ActiveModels", "FeatureTopics", "Parse", "Inference/Validate", "Inference/BuildModelInputs",
        "Inference/Predict", "PublishPredictions", "PublishDeadLetters", "PublishEvents")) {
      assertTrue(names.contains(step), "job graph lacks " + step + ": " + names);
    }
    // Keys are Dataflow's unit of parallelism: the history and the outcome join keep a key per series there.
    assertTrue(names.contains("Inference/BuildModelInputs/KeyBySymbolExchangeTimeframe"), "history keyed per series: " + names);
    assertFalse(names.stream().anyMatch(n -> n.contains("KeyByStateShard")), "no state shards on Dataflow: " + names);
    // pattern_completion on a GPU with 16GB, swing_points and directional on 8GB, volatility unhinted.
    String predict = "Inference/Predict/";
    assertEquals(Map.of("Predict pattern_completion", "type:nvidia-tesla-t4;count:1;install-nvidia-driver"),
        job.hintByStep(predict, TranslatedJob.ACCELERATOR));
    assertEquals(Map.of("Predict pattern_completion", "16000000000", "Predict swing_points", "8000000000",
        "Predict directional", "8000000000"), job.hintByStep(predict, TranslatedJob.MIN_RAM));
    assertTrue(names.stream().anyMatch(n -> n.startsWith(predict + "Predict other types/")), "volatility's step: " + names);
  }
}
