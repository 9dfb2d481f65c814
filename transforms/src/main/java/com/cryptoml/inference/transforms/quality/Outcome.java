package com.cryptoml.inference.transforms.quality;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** A prediction joined with what happened over its horizon. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Outcome {
  @SchemaFieldName("model_id")
  public abstract String getModelId();

  @SchemaFieldName("model_version")
  public abstract String getModelVersion();

  @SchemaFieldName("registry_version")
  public abstract String getRegistryVersion();

  @SchemaFieldName("model_type")
  public abstract String getModelType();

  @SchemaFieldName("symbol")
  public abstract String getSymbol();

  @SchemaFieldName("exchange")
  public abstract String getExchange();

  @SchemaFieldName("timeframe")
  public abstract String getTimeframe();

  @SchemaFieldName("feature_timestamp")
  public abstract Instant getFeatureTimestamp();

  @SchemaFieldName("horizon_bars")
  public abstract int getHorizonBars();

  @SchemaFieldName("prediction")
  public abstract int getPrediction();

  @SchemaFieldName("confidence")
  public abstract double getConfidence();

  /** Multi-class Brier score of this prediction's probabilities; null without short/neutral/long probabilities. */
  @SchemaFieldName("brier")
  public abstract @Nullable Double getBrier();

  /** Sum of one-bar log returns over the horizon. */
  @SchemaFieldName("realized_return")
  public abstract double getRealizedReturn();

  /** What the prediction should have been: -1, 0 or 1 (volatility models: 1 expansion, 0 not). */
  @SchemaFieldName("realized")
  public abstract int getRealized();

  public boolean correct() {
    return getPrediction() == getRealized();
  }

  public static Builder builder() {
    return new AutoValue_Outcome.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setModelId(String v);

    public abstract Builder setModelVersion(String v);

    public abstract Builder setRegistryVersion(String v);

    public abstract Builder setModelType(String v);

    public abstract Builder setSymbol(String v);

    public abstract Builder setExchange(String v);

    public abstract Builder setTimeframe(String v);

    public abstract Builder setFeatureTimestamp(Instant v);

    public abstract Builder setHorizonBars(int v);

    public abstract Builder setPrediction(int v);

    public abstract Builder setConfidence(double v);

    public abstract Builder setBrier(@Nullable Double v);

    public abstract Builder setRealizedReturn(double v);

    public abstract Builder setRealized(int v);

    public abstract Outcome build();
  }
}
