package com.cryptoml.inference.pipelines.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What every pipeline of the platform takes: the configuration file and, for each of its keys, an
 * option that overrides it ({@code --batchSize=64}). Unset overrides leave the file's value.
 */
public interface InferenceOptions extends PipelineOptions {
  @Description("inference_config file, YAML or JSON: a path, gs:// URI, or embedded:<environment> "
      + "(local-dev, local-integration, central-dev, integration-test, staging, production)")
  @Default.String("embedded:local-dev")
  String getConfig();

  void setConfig(String value);

  @Description("Override model_cache_size")
  Integer getModelCacheSize();

  void setModelCacheSize(Integer value);

  @Description("Override batch_size")
  Integer getBatchSize();

  void setBatchSize(Integer value);

  @Description("Override warmup_iterations")
  Integer getWarmupIterations();

  void setWarmupIterations(Integer value);

  @Description("Override feature_cache_duration (e.g. 1h)")
  String getFeatureCacheDuration();

  void setFeatureCacheDuration(String value);

  @Description("Override max_feature_age (e.g. 7d)")
  String getMaxFeatureAge();

  void setMaxFeatureAge(String value);

  @Description("Override normalize_features")
  Boolean getNormalizeFeatures();

  void setNormalizeFeatures(Boolean value);

  @Description("Override max_concurrent_predictions")
  Integer getMaxConcurrentPredictions();

  void setMaxConcurrentPredictions(Integer value);

  @Description("Override prediction_timeout_ms")
  Integer getPredictionTimeoutMs();

  void setPredictionTimeoutMs(Integer value);

  @Description("Override batch_timeout_retries")
  Integer getBatchTimeoutRetries();

  void setBatchTimeoutRetries(Integer value);

  @Description("Override use_gpu")
  Boolean getUseGpu();

  void setUseGpu(Boolean value);

  @Description("Override enabled_timeframes, comma-separated (1m,5m,15m,1h,4h,1d)")
  List<String> getEnabledTimeframes();

  void setEnabledTimeframes(List<String> value);

  @Description("Override timeframe_specific_models: '1h=swing-high-v1-1h,momentum-v1-1h;4h=momentum-v1-4h'")
  String getModels();

  void setModels(String value);

  @Description("Override deployment.registry: path, gs://, http(s):// (MLflow server), vertex://PROJECT/LOCATION")
  String getRegistry();

  void setRegistry(String value);

  @Description("Override deployment.artifact_cache_dir")
  String getArtifactCacheDir();

  void setArtifactCacheDir(String value);

  @Description("Override deployment.symbols, comma-separated")
  List<String> getSymbols();

  void setSymbols(List<String> value);

  @Description("Override deployment.exchanges, comma-separated")
  List<String> getExchanges();

  void setExchanges(List<String> value);

  @Description("Override deployment.environment")
  String getEnvironment();

  void setEnvironment(String value);

  @Description("Override deployment.sub_environment")
  String getSubEnvironment();

  void setSubEnvironment(String value);

  @Description("Override deployment.imputation: forward_fill_then_mean, forward_fill, mean, skip")
  String getImputation();

  void setImputation(String value);

  @Description("Override deployment.max_imputed_fraction")
  Double getMaxImputedFraction();

  void setMaxImputedFraction(Double value);

  @Description("Override deployment.future_skew (e.g. 30s)")
  String getFutureSkew();

  void setFutureSkew(String value);

  @Description("Override deployment.reference_clock: wall, none, or an ISO-8601 instant")
  String getReferenceClock();

  void setReferenceClock(String value);

  @Description("Override deployment.max_batch_wait_ms")
  Integer getMaxBatchWaitMs();

  void setMaxBatchWaitMs(Integer value);

  @Description("Override deployment.max_payload_bytes")
  Integer getMaxPayloadBytes();

  void setMaxPayloadBytes(Integer value);

  @Description("Override monitoring.metrics_interval (e.g. 60s)")
  String getMetricsInterval();

  void setMetricsInterval(String value);

  @Description("Override monitoring.drift_window_bars")
  Integer getDriftWindowBars();

  void setDriftWindowBars(Integer value);

  @Description("Override monitoring.drift_period_bars")
  Integer getDriftPeriodBars();

  void setDriftPeriodBars(Integer value);

  @Description("Override monitoring.drift_psi_threshold")
  Double getDriftPsiThreshold();

  void setDriftPsiThreshold(Double value);

  @Description("Override monitoring.drift_min_samples")
  Integer getDriftMinSamples();

  void setDriftMinSamples(Integer value);

  @Description("Override monitoring.outcome_return_feature")
  String getOutcomeReturnFeature();

  void setOutcomeReturnFeature(String value);

  @Description("Override monitoring.outcome_volatility_feature")
  String getOutcomeVolatilityFeature();

  void setOutcomeVolatilityFeature(String value);

  @Description("Override monitoring.outcome_band")
  Double getOutcomeBand();

  void setOutcomeBand(Double value);
}
