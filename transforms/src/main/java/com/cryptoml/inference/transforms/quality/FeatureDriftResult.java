package com.cryptoml.inference.transforms.quality;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.joda.time.Instant;

/** One feature of one model version over one drift window: its PSI against the training histogram. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class FeatureDriftResult {
  @SchemaFieldName("model_id")
  public abstract String getModelId();

  @SchemaFieldName("model_version")
  public abstract String getModelVersion();

  @SchemaFieldName("registry_version")
  public abstract String getRegistryVersion();

  @SchemaFieldName("timeframe")
  public abstract String getTimeframe();

  @SchemaFieldName("feature")
  public abstract String getFeature();

  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  /** Observations (bars x keys) in the window. */
  @SchemaFieldName("samples")
  public abstract long getSamples();

  @SchemaFieldName("psi")
  public abstract double getPsi();

  @SchemaFieldName("threshold")
  public abstract double getThreshold();

  public boolean drifted() {
    return getPsi() > getThreshold();
  }

  public static Builder builder() {
    return new AutoValue_FeatureDriftResult.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setModelId(String v);

    public abstract Builder setModelVersion(String v);

    public abstract Builder setRegistryVersion(String v);

    public abstract Builder setTimeframe(String v);

    public abstract Builder setFeature(String v);

    public abstract Builder setWindowStart(Instant v);

    public abstract Builder setWindowEnd(Instant v);

    public abstract Builder setSamples(long v);

    public abstract Builder setPsi(double v);

    public abstract Builder setThreshold(double v);

    public abstract FeatureDriftResult build();
  }
}
