package com.cryptoml.inference.pipelines.config;

import java.util.List;

/**
 * Every configuration key, its section, type, default and meaning: the one table the loader, the
 * command-line options and the README's configuration reference are checked against.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /**
   * One key. {@code option} is the Beam pipeline option that overrides it ({@code --batchSize=64});
   * {@code defaultValue} is what applies when the key is absent from the file and the command line.
   */
  public record Key(String section, String name, String option, String type, String defaultValue, String meaning) {}

  public static final String INFERENCE = "inference_config";
  public static final String DEPLOYMENT = "deployment";
  public static final String MONITORING = "monitoring";
  public static final String DATAFLOW = "dataflow";
  public static final List<String> SECTIONS = List.of(INFERENCE, DEPLOYMENT, MONITORING, DATAFLOW);

  public static final List<Key> ALL = List.of(
      new Key(INFERENCE, "model_cache_size", "modelCacheSize", "int >= 1", "10", "Model versions kept loaded per JVM (LRU)."),
      new Key(INFERENCE, "batch_size", "batchSize", "int >= 1", "32", "Rows per model call; also the warm-up batch size."),
      new Key(INFERENCE, "warmup_iterations", "warmupIterations", "int >= 0", "100", "Warm-up batches run before a version serves."),
      new Key(INFERENCE, "feature_cache_duration", "featureCacheDuration", "duration", "1h",
          "How far back a key's history reaches for forward fill (at least one bar)."),
      new Key(INFERENCE, "max_feature_age", "maxFeatureAge", "duration", "7d",
          "Older bars are rejected; forward-filled values are never older; quiet keys expire after it."),
      new Key(INFERENCE, "normalize_features", "normalizeFeatures", "boolean", "true", "z-score inputs with the model's statistics."),
      new Key(INFERENCE, "max_concurrent_predictions", "maxConcurrentPredictions", "int >= 1", "100", "Rows in flight per JVM."),
      new Key(INFERENCE, "prediction_timeout_ms", "predictionTimeoutMs", "int >= 1", "100",
          "A model call taking longer dead-letters its rows (timeout); a backfill runs it again first."),
      new Key(INFERENCE, "batch_timeout_retries", "batchTimeoutRetries", "int >= 0", "2",
          "A backfill runs a timed-out model call again this many times before dead-lettering its rows; a stream never does."),
      new Key(INFERENCE, "use_gpu", "useGpu", "boolean", "false", "Serve on a GPU when TensorFlow sees one."),
      new Key(INFERENCE, "enabled_timeframes", "enabledTimeframes", "list of 1m 5m 15m 1h 4h 1d", "all six",
          "Timeframes read and predicted."),
      new Key(INFERENCE, "timeframe_specific_models", "models", "map timeframe -> model reference(s)", "none",
          "Models per timeframe: name (champion), name@alias, name:version; a string or a list."),
      new Key(DEPLOYMENT, "registry", "registry", "path, gs://, http(s)://, vertex://PROJECT/LOCATION", "testdata/data/registry",
          "Model registry: MLflow FileStore, MLflow server, Vertex AI."),
      new Key(DEPLOYMENT, "artifact_cache_dir", "artifactCacheDir", "path", "<tmp>/crypto-inference/artifacts",
          "Where verified artifacts are unpacked."),
      new Key(DEPLOYMENT, "symbols", "symbols", "list", "empty", "Accepted symbols (empty: any)."),
      new Key(DEPLOYMENT, "exchanges", "exchanges", "list", "empty", "Accepted exchanges (empty: any)."),
      new Key(DEPLOYMENT, "environment", "environment", "string", "local-dev", "The events' environment field."),
      new Key(DEPLOYMENT, "sub_environment", "subEnvironment", "string", "live", "The events' sub_environment field."),
      new Key(DEPLOYMENT, "imputation", "imputation", "forward_fill_then_mean | forward_fill | mean | skip",
          "forward_fill_then_mean", "How missing feature values are filled."),
      new Key(DEPLOYMENT, "max_imputed_fraction", "maxImputedFraction", "0..1", "0.5",
          "Above this share of imputed inputs a model skips the bar."),
      new Key(DEPLOYMENT, "future_skew", "futureSkew", "duration", "30s", "How far in the future a bar time may be."),
      new Key(DEPLOYMENT, "reference_clock", "referenceClock", "wall | none | ISO instant", "wall",
          "The now that bar ages are judged against."),
      new Key(DEPLOYMENT, "max_batch_wait_ms", "maxBatchWaitMs", "int >= 0", "10",
          "Streaming: longest a partial batch waits across bundles; 0 batches within bundles only."),
      new Key(DEPLOYMENT, "max_payload_bytes", "maxPayloadBytes", "int >= 1", "65536", "Larger input messages are dead-lettered."),
      new Key(MONITORING, "metrics_interval", "metricsInterval", "duration", "60s",
          "Period of inference_metrics and model_accuracy events."),
      new Key(MONITORING, "drift_window_bars", "driftWindowBars", "int >= 1", "200",
          "Sliding window of feature and prediction drift, in bars of the model's timeframe."),
      new Key(MONITORING, "drift_period_bars", "driftPeriodBars", "1..drift_window_bars", "20", "How often the drift window slides, in bars."),
      new Key(MONITORING, "drift_psi_threshold", "driftPsiThreshold", "number > 0", "0.2",
          "Population stability index above which a feature_drift event is published."),
      new Key(MONITORING, "drift_min_samples", "driftMinSamples", "int >= 1", "100", "Windows with fewer observations give no drift verdict."),
      new Key(MONITORING, "outcome_return_feature", "outcomeReturnFeature", "feature name", "ret_1",
          "One-bar log return; a prediction's realized return is its sum over the model's horizon."),
      new Key(MONITORING, "outcome_volatility_feature", "outcomeVolatilityFeature", "feature name or empty", "rv_24",
          "Bar volatility scaling the neutral band (empty: no band)."),
      new Key(MONITORING, "outcome_band", "outcomeBand", "number >= 0", "0.5",
          "Neutral band: realized return within +-band x volatility x sqrt(horizon) is 0."),
      new Key(DATAFLOW, "region", "region", "string", "-", "Dataflow region of the job."),
      new Key(DATAFLOW, "worker_machine_type", "workerMachineType", "string", "-", "Compute Engine machine type of the workers."),
      new Key(DATAFLOW, "num_workers", "numWorkers", "int >= 1", "-", "Workers at start."),
      new Key(DATAFLOW, "max_num_workers", "maxNumWorkers", "int >= num_workers", "-", "Upper bound for autoscaling."),
      new Key(DATAFLOW, "autoscaling_algorithm", "autoscalingAlgorithm", "NONE | THROUGHPUT_BASED", "-", "Dataflow autoscaling."),
      new Key(DATAFLOW, "enable_streaming_engine", "enableStreamingEngine", "boolean", "-",
          "Streaming Engine: state and shuffle in the Dataflow service, not on the workers (smaller workers, smoother autoscaling)."),
      new Key(DATAFLOW, "experiments", "experiments", "list", "-", "Dataflow experiments, e.g. use_runner_v2 (required for GPUs)."),
      new Key(DATAFLOW, "worker_accelerator", "dataflowServiceOptions=worker_accelerator=...", "type:T;count:N;install-nvidia-driver", "-",
          "GPUs on every worker (Dataflow service option worker_accelerator)."),
      new Key(DATAFLOW, "sdk_container_image", "sdkContainerImage", "image reference", "-",
          "Custom worker container (runners/dataflow/worker/Dockerfile) with TensorFlow's CUDA natives."),
      new Key(DATAFLOW, "resource_hints", "-", "map model type -> {accelerator, min_ram}", "-",
          "Per model type: its own inference step with these Beam resource hints."));

  /** The README's configuration reference, one row per key; a test keeps the README equal to it. */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder("| key | command line | type | default | meaning |\n| --- | --- | --- | --- | --- |\n");
    for (Key k : ALL) {
      b.append("| `").append(k.section()).append('.').append(k.name()).append("` | ")
          .append(k.option().equals("-") ? "-" : "`--" + k.option() + "`").append(" | ")
          .append(cell(k.type())).append(" | ").append(cell(k.defaultValue())).append(" | ")
          .append(cell(k.meaning())).append(" |\n");
    }
    return b.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
