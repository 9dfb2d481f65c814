package com.cryptoml.inference.transforms.values;

import com.google.auto.value.AutoValue;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A prediction event: the request's fields in the request's order, then what the platform adds
 * (exchange, model type, bar time, registry version, class probabilities, imputed features, latency,
 * batch request id, the reference and role that served it, the score of scalar models). Parquet columns and JSON keys are these names.
 *
 * <p>{@code event_id} is a name-based UUID over model id, model version, symbol, exchange, timeframe
 * and bar time, so replays and reruns repeat it. {@code timestamp} is the wall-clock time the
 * prediction was made; {@code feature_timestamp} is the bar's close time.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class PredictionEvent {
  public static final String EVENT_TYPE = "prediction";
  public static final String SERVICE = "ml-inference-service";

  @SchemaFieldNumber("0") @SchemaFieldName("event_id")
  public abstract String getEventId();

  @SchemaFieldNumber("1") @SchemaFieldName("timestamp")
  public abstract Instant getTimestamp();

  @SchemaFieldNumber("2") @SchemaFieldName("service")
  public abstract String getService();

  @SchemaFieldNumber("3") @SchemaFieldName("environment")
  public abstract String getEnvironment();

  @SchemaFieldNumber("4") @SchemaFieldName("sub_environment")
  public abstract String getSubEnvironment();

  @SchemaFieldNumber("5") @SchemaFieldName("mode")
  public abstract String getMode();

  @SchemaFieldNumber("6") @SchemaFieldName("event_type")
  public abstract String getEventType();

  @SchemaFieldNumber("7") @SchemaFieldName("model_id")
  public abstract String getModelId();

  @SchemaFieldNumber("8") @SchemaFieldName("model_version")
  public abstract String getModelVersion();

  @SchemaFieldNumber("9") @SchemaFieldName("symbol")
  public abstract String getSymbol();

  @SchemaFieldNumber("10") @SchemaFieldName("timeframe")
  public abstract String getTimeframe();

  @SchemaFieldNumber("11") @SchemaFieldName("prediction")
  public abstract int getPrediction();

  @SchemaFieldNumber("12") @SchemaFieldName("confidence")
  public abstract double getConfidence();

  @SchemaFieldNumber("13") @SchemaFieldName("exchange")
  public abstract String getExchange();

  @SchemaFieldNumber("14") @SchemaFieldName("model_type")
  public abstract String getModelType();

  @SchemaFieldNumber("15") @SchemaFieldName("feature_timestamp")
  public abstract Instant getFeatureTimestamp();

  @SchemaFieldNumber("16") @SchemaFieldName("registry_version")
  public abstract String getRegistryVersion();

  /** {@code short}/{@code neutral}/{@code long} for class models; empty for scalar models, which fill {@code score}. */
  @SchemaFieldNumber("17") @SchemaFieldName("probabilities")
  public abstract Map<String, Double> getProbabilities();

  @SchemaFieldNumber("18") @SchemaFieldName("imputed_features")
  public abstract List<String> getImputedFeatures();

  /** Wall-clock time of the model call for this prediction's batch. */
  @SchemaFieldNumber("19") @SchemaFieldName("inference_latency_ms")
  public abstract double getInferenceLatencyMs();

  @SchemaFieldNumber("20") @SchemaFieldName("batch_request_id")
  public abstract @Nullable String getBatchRequestId();

  /** The configured reference that served this prediction ({@code swing-high-v1-1h@challenger}). */
  @SchemaFieldNumber("21") @SchemaFieldName("model_ref")
  public abstract String getModelRef();

  /** {@code champion}, {@code challenger} or {@code pinned}: see {@link com.cryptoml.inference.models.registry.ModelRef#role()}. */
  @SchemaFieldNumber("22") @SchemaFieldName("model_role")
  public abstract String getModelRole();

  /** The model's output for scalar (score) models, null for class models. */
  @SchemaFieldNumber("23") @SchemaFieldName("score")
  public abstract @Nullable Double getScore();

  public static Builder builder() {
    return new AutoValue_PredictionEvent.Builder().setEventType(EVENT_TYPE).setService(SERVICE);
  }

  public abstract Builder toBuilder();

  /** Builder for schema inference and the predictor. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setEventId(String v);

    public abstract Builder setTimestamp(Instant v);

    public abstract Builder setService(String v);

    public abstract Builder setEnvironment(String v);

    public abstract Builder setSubEnvironment(String v);

    public abstract Builder setMode(String v);

    public abstract Builder setEventType(String v);

    public abstract Builder setModelId(String v);

    public abstract Builder setModelVersion(String v);

    public abstract Builder setSymbol(String v);

    public abstract Builder setTimeframe(String v);

    public abstract Builder setPrediction(int v);

    public abstract Builder setConfidence(double v);

    public abstract Builder setExchange(String v);

    public abstract Builder setModelType(String v);

    public abstract Builder setFeatureTimestamp(Instant v);

    public abstract Builder setRegistryVersion(String v);

    public abstract Builder setProbabilities(Map<String, Double> v);

    public abstract Builder setImputedFeatures(List<String> v);

    public abstract Builder setInferenceLatencyMs(double v);

    public abstract Builder setBatchRequestId(@Nullable String v);

    public abstract Builder setModelRef(String v);

    public abstract Builder setModelRole(String v);

    public abstract Builder setScore(@Nullable Double v);

    public abstract PredictionEvent build();
  }
}
