package com.cryptoml.inference.transforms.config;

import com.cryptoml.inference.models.metadata.Timeframe;
import java.util.List;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Every setting of the inference path, declared once: each getter is a pipeline option
 * ({@code --batchSize=64}) and, through its {@link Setting}, a key of the configuration files
 * ({@code inference_config.batch_size}) with its default and what it allows. An environment profile
 * or a configuration file sets them as option values, the command line overrides them, and the
 * reference table of docs/configuration.md is generated from here. The request's {@code
 * inference_config} keys keep their names; {@code deployment}, {@code monitoring} and {@code dataflow}
 * hold what a deployment needs beside them.
 */
public interface InferenceOptions extends PipelineOptions {
  @Description("Configuration file, YAML or JSON (a path or gs:// URI), applied over the --environment profile when both are"
      + " given; embedded:NAME is the same as --environment=NAME")
  String getConfig();

  void setConfig(String value);

  // inference_config: the request's keys

  @Setting(key = "inference_config.model_cache_size", defaultValue = "10", allowed = "int >= 1", min = 1)
  @Description("Model versions kept loaded per JVM (least recently used out first).")
  Integer getModelCacheSize();

  void setModelCacheSize(Integer value);

  @Setting(key = "inference_config.batch_size", defaultValue = "32", allowed = "int >= 1", min = 1)
  @Description("Rows per model call; also the warm-up batch size.")
  Integer getBatchSize();

  void setBatchSize(Integer value);

  @Setting(key = "inference_config.warmup_iterations", defaultValue = "100", allowed = "int >= 0", min = 0)
  @Description("Warm-up batches run before a version serves.")
  Integer getWarmupIterations();

  void setWarmupIterations(Integer value);

  @Setting(key = "inference_config.feature_cache_duration", defaultValue = "1h", allowed = "duration > 0", min = 1)
  @Description("How far back a key's history reaches for forward fill (at least one bar).")
  Span getFeatureCacheDuration();

  void setFeatureCacheDuration(Span value);

  @Setting(key = "inference_config.max_feature_age", defaultValue = "7d", allowed = "duration > 0", min = 1)
  @Description("Older bars are rejected; forward-filled values are never older; quiet keys expire after it.")
  Span getMaxFeatureAge();

  void setMaxFeatureAge(Span value);

  @Setting(key = "inference_config.normalize_features", defaultValue = "true", allowed = "boolean")
  @Description("z-score inputs with the model's normalization statistics.")
  Boolean getNormalizeFeatures();

  void setNormalizeFeatures(Boolean value);

  @Setting(key = "inference_config.max_concurrent_predictions", defaultValue = "100", allowed = "int >= 1", min = 1)
  @Description("Rows inside model calls at once, per JVM.")
  Integer getMaxConcurrentPredictions();

  void setMaxConcurrentPredictions(Integer value);

  @Setting(key = "inference_config.prediction_timeout_ms", defaultValue = "100", allowed = "int >= 1", min = 1)
  @Description("A model call taking longer dead-letters its rows (timeout); a backfill runs it again first.")
  Integer getPredictionTimeoutMs();

  void setPredictionTimeoutMs(Integer value);

  @Setting(key = "inference_config.batch_timeout_retries", defaultValue = "2", allowed = "int >= 0", min = 0)
  @Description("A backfill runs a timed-out model call again this many times before dead-lettering its rows; a stream never does.")
  Integer getBatchTimeoutRetries();

  void setBatchTimeoutRetries(Integer value);

  @Setting(key = "inference_config.use_gpu", defaultValue = "false", allowed = "boolean")
  @Description("Serve on a GPU when TensorFlow sees one.")
  Boolean getUseGpu();

  void setUseGpu(Boolean value);

  @Setting(key = "inference_config.enabled_timeframes", defaultValue = "1m,5m,15m,1h,4h,1d", allowed = "non-empty list of 1m 5m 15m 1h 4h 1d")
  @Description("Timeframes read and predicted.")
  List<Timeframe> getEnabledTimeframes();

  void setEnabledTimeframes(List<Timeframe> value);

  @Setting(key = "inference_config.timeframe_specific_models", defaultValue = "",
      allowed = "map timeframe -> model reference(s); command line: '1h=a,b;4h=c'")
  @Description("Models per timeframe: name (the champion alias), name@alias, name:version, name:latest, name:Stage,"
      + " models:/NAME@ALIAS, models:/NAME/VERSION or models:/NAME/STAGE; a string or a list.")
  TimeframeModels getModels();

  void setModels(TimeframeModels value);

  // deployment

  @Setting(key = "deployment.registry", defaultValue = "testdata/data/registry",
      allowed = "path, file://, gs://, http(s):// (MLflow server), vertex://PROJECT/LOCATION; no credentials")
  @Description("Model registry: an MLflow FileStore, an MLflow tracking server or Vertex AI Model Registry.")
  String getRegistry();

  void setRegistry(String value);

  @Setting(key = "deployment.artifact_cache_dir", defaultValue = "${java.io.tmpdir}/crypto-inference/artifacts", allowed = "path")
  @Description("Where verified artifacts are unpacked.")
  String getArtifactCacheDir();

  void setArtifactCacheDir(String value);

  @Setting(key = "deployment.symbols", defaultValue = "", allowed = "list")
  @Description("Accepted symbols (empty: any).")
  List<String> getSymbols();

  void setSymbols(List<String> value);

  @Setting(key = "deployment.exchanges", defaultValue = "", allowed = "list")
  @Description("Accepted exchanges (empty: any).")
  List<String> getExchanges();

  void setExchanges(List<String> value);

  @Setting(key = "deployment.environment", defaultValue = "local-dev", allowed = "string")
  @Description("The events' environment field. On the command line it also picks the embedded profile of that name"
      + " (local-dev, local-integration, central-dev, integration-test, staging, production).")
  String getEnvironment();

  void setEnvironment(String value);

  @Setting(key = "deployment.sub_environment", defaultValue = "live", allowed = "string")
  @Description("The events' sub_environment field (a backfill writes backfill).")
  String getSubEnvironment();

  void setSubEnvironment(String value);

  @Setting(key = "deployment.imputation", defaultValue = "forward_fill_then_mean", allowed = "forward_fill_then_mean | forward_fill | mean | skip")
  @Description("How missing feature values are filled.")
  ImputationPolicy getImputation();

  void setImputation(ImputationPolicy value);

  @Setting(key = "deployment.max_imputed_fraction", defaultValue = "0.5", allowed = "0..1", min = 0, max = 1)
  @Description("Above this share of imputed inputs a model skips the bar.")
  Double getMaxImputedFraction();

  void setMaxImputedFraction(Double value);

  @Setting(key = "deployment.future_skew", defaultValue = "30s", allowed = "duration")
  @Description("How far in the future a bar time may be.")
  Span getFutureSkew();

  void setFutureSkew(Span value);

  @Setting(key = "deployment.reference_clock", defaultValue = "wall", allowed = "wall | none | ISO-8601 instant")
  @Description("The now that bar ages are judged against.")
  ReferenceClock getReferenceClock();

  void setReferenceClock(ReferenceClock value);

  @Setting(key = "deployment.max_batch_wait_ms", defaultValue = "10", allowed = "int >= 1", min = 1)
  @Description("Streaming: longest a partial batch waits to fill before it is predicted.")
  Integer getMaxBatchWaitMs();

  void setMaxBatchWaitMs(Integer value);

  @Setting(key = "deployment.max_payload_bytes", defaultValue = "65536", allowed = "int >= 1", min = 1)
  @Description("Larger input messages are dead-lettered.")
  Integer getMaxPayloadBytes();

  void setMaxPayloadBytes(Integer value);

  // monitoring

  @Setting(key = "monitoring.metrics_interval", defaultValue = "60s", allowed = "duration > 0", min = 1)
  @Description("Period of inference_metrics and model_accuracy events.")
  Span getMetricsInterval();

  void setMetricsInterval(Span value);

  @Setting(key = "monitoring.drift_window_bars", defaultValue = "200", allowed = "int >= 1", min = 1)
  @Description("Sliding window of feature and prediction drift, in bars of the model's timeframe.")
  Integer getDriftWindowBars();

  void setDriftWindowBars(Integer value);

  @Setting(key = "monitoring.drift_period_bars", defaultValue = "20", allowed = "1..drift_window_bars", min = 1)
  @Description("How often the drift window slides, in bars.")
  Integer getDriftPeriodBars();

  void setDriftPeriodBars(Integer value);

  @Setting(key = "monitoring.drift_psi_threshold", defaultValue = "0.2", allowed = "number > 0", min = Double.MIN_VALUE)
  @Description("Population stability index above which a feature_drift event is published.")
  Double getDriftPsiThreshold();

  void setDriftPsiThreshold(Double value);

  @Setting(key = "monitoring.drift_min_samples", defaultValue = "100", allowed = "int >= 1", min = 1)
  @Description("Windows with fewer observations give no drift verdict.")
  Integer getDriftMinSamples();

  void setDriftMinSamples(Integer value);

  @Setting(key = "monitoring.outcome_return_feature", defaultValue = "ret_1", allowed = "feature name")
  @Description("One-bar log return; a prediction's realized return is its sum over the model's horizon.")
  String getOutcomeReturnFeature();

  void setOutcomeReturnFeature(String value);

  @Setting(key = "monitoring.outcome_volatility_feature", defaultValue = "rv_24", allowed = "feature name or empty")
  @Description("Bar volatility scaling the neutral band (empty: no band).")
  String getOutcomeVolatilityFeature();

  void setOutcomeVolatilityFeature(String value);

  @Setting(key = "monitoring.outcome_band", defaultValue = "0.5", allowed = "number >= 0", min = 0)
  @Description("Neutral band: a realized return within +-band x volatility x sqrt(horizon) is 0.")
  Double getOutcomeBand();

  void setOutcomeBand(Double value);

  // dataflow: ours (the runner's own keys are in docs/configuration.md beside these)

  @Setting(key = "dataflow.resource_hints", defaultValue = "", allowed = "map model type -> {accelerator, min_ram}")
  @Description("Per model type: its own inference step with these Beam resource hints.")
  ResourceHintsByType getResourceHintsByModelType();

  void setResourceHintsByModelType(ResourceHintsByType value);
}
