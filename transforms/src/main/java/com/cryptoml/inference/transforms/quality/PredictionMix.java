package com.cryptoml.inference.transforms.quality;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The class mix of one model version's predictions over one drift window, and how far the window's
 * latest period moved from the rest of the window (PSI; prediction drift).
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class PredictionMix {
  @SchemaFieldName("model_id")
  public abstract String getModelId();

  @SchemaFieldName("model_version")
  public abstract String getModelVersion();

  @SchemaFieldName("registry_version")
  public abstract String getRegistryVersion();

  @SchemaFieldName("timeframe")
  public abstract String getTimeframe();

  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  @SchemaFieldName("predictions")
  public abstract long getPredictions();

  @SchemaFieldName("short")
  public abstract long getShort();

  @SchemaFieldName("neutral")
  public abstract long getNeutral();

  @SchemaFieldName("long")
  public abstract long getLong();

  @SchemaFieldName("last_period_predictions")
  public abstract long getLastPeriodPredictions();

  /** PSI of the latest period's class mix against the rest of the window; null when either is empty. */
  @SchemaFieldName("last_period_psi")
  public abstract @Nullable Double getLastPeriodPsi();

  public static Builder builder() {
    return new AutoValue_PredictionMix.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setModelId(String v);

    public abstract Builder setModelVersion(String v);

    public abstract Builder setRegistryVersion(String v);

    public abstract Builder setTimeframe(String v);

    public abstract Builder setWindowStart(Instant v);

    public abstract Builder setWindowEnd(Instant v);

    public abstract Builder setPredictions(long v);

    public abstract Builder setShort(long v);

    public abstract Builder setNeutral(long v);

    public abstract Builder setLong(long v);

    public abstract Builder setLastPeriodPredictions(long v);

    public abstract Builder setLastPeriodPsi(@Nullable Double v);

    public abstract PredictionMix build();
  }
}
