package com.cryptoml.inference.pipelines.batch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill translated for Dataflow, offline: template mode writes the job to a local file instead
 * of submitting it (no GCP project, credentials or staging bucket touched), and the job graph holds
 * the shared inference step between the Parquet read and the writes.
 */
class DataflowBatchTranslationTest {
  @Test
  void batchJobGraph(@TempDir Path dir, @TempDir Path cache) throws Exception {
    Path template = dir.resolve("backfill-template.json");
    BatchOptions options = PipelineOptionsFactory.fromArgs(
        "--runner=DataflowRunner",
        "--project=quant-research",
        "--region=europe-west4",
        "--jobName=backfill-translation-test",
        "--tempLocation=" + dir.resolve("temp"),
        "--stagingLocation=" + dir.resolve("staging"),
        "--templateLocation=" + template,
        "--registry=" + PipelineTestData.REGISTRY,
        "--artifactCacheDir=" + cache,
        "--requestId=translate",
        "--requestSymbols=BTCUSDT",
        "--requestExchanges=BINANCE",
        "--requestTimeframes=1h",
        "--start=2024-03-01T00:00:00Z",
        "--end=2024-03-08T00:00:00Z",
        "--input=" + PipelineTestData.HISTORY_GLOB,
        "--output=gs://quant-research/backfills/translate").as(BatchOptions.class);
    DataflowPipelineOptions dataflow = options.as(DataflowPipelineOptions.class);
    dataflow.setPathValidatorClass(NoopPathValidator.class);
    dataflow.setCredentialFactoryClass(NoopCredentialFactory.class);
    dataflow.setFilesToStage(List.of());
    Files.createDirectories(dir.resolve("temp"));
    Files.createDirectories(dir.resolve("staging"));

    BatchLauncher.Prepared prepared = BatchLauncher.prepare(options);
    prepared.pipeline().run();

    String job = Files.readString(template);
    for (String step : List.of("ReadHistory/ReadParquet", "FilterToRequest", "Inference/Validate", "Inference/BuildModelInputs",
        "Inference/Predict/PredictGroups", "WritePredictions", "WriteDeadLetters", "PublishCompletion")) {
      assertTrue(job.contains(step), "job graph lacks " + step);
    }
    assertTrue(job.contains("\"type\" : \"JOB_TYPE_BATCH\"") || job.contains("JOB_TYPE_BATCH"), "a batch job");
    assertTrue(DataflowRunner.class.getName().length() > 0);
  }
}
