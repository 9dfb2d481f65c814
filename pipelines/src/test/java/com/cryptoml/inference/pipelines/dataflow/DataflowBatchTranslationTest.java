package com.cryptoml.inference.pipelines.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.batch.Backfills;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.config.DataflowSettings;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill translated for Dataflow, offline, with central-dev's {@code dataflow:} section: a batch
 * job on Runner v2 whose graph holds the same inference steps as the streaming job, between the
 * Parquet read and the writes, and no Streaming Engine.
 */
class DataflowBatchTranslationTest {
  @Test
  void batchJobGraph(@TempDir Path dir, @TempDir Path cache) throws Exception {
    String[] commandLine = {
        "--runner=DataflowRunner",
        "--config=embedded:central-dev",
        "--registry=" + PipelineTestData.REGISTRY,
        "--artifactCacheDir=" + cache,
        "--requestId=translate",
        "--requestSymbols=BTCUSDT",
        "--requestExchanges=BINANCE",
        "--requestTimeframes=1h",
        "--start=2024-03-01T00:00:00Z",
        "--end=2024-03-08T00:00:00Z",
        "--input=" + PipelineTestData.HISTORY_GLOB,
        "--output=gs://quant-research/backfills/translate"};
    DataflowSettings settings = ConfigLoader.resolve(commandLine).dataflow();
    BatchOptions options = ConfigLoader.options(settings.under(commandLine, false), BatchOptions.class);
    TranslatedJob.offline(options, dir, "backfill-translation");
    Backfills.prepare(options).pipeline().run();
    TranslatedJob job = TranslatedJob.read(options);

    assertEquals("FNAPI_BATCH", job.environment().get("version").get("job_type").asText());
    assertFalse(job.environmentList("experiments").contains("enable_streaming_engine"), "no Streaming Engine for a batch job");
    assertEquals("n2-standard-4", job.workerPool().get("machineType").asText());
    Set<String> names = job.transformNames();
    for (String step : List.of("ReadHistory/ReadParquet", "FilterToRequest", "Inference/Validate", "Inference/BuildModelInputs",
        "Inference/Predict", "Inference/Predict/Batches/PredictGroups", "PredictionFiles/WritePredictions", "WriteDeadLetters", "Completion/PublishCompletion")) {
      assertTrue(names.contains(step), "job graph lacks " + step + ": " + names);
    }
  }
}
