package com.cryptoml.inference.transforms.quality;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How right one model version was on the outcomes resolved so far: overall, on its long and short
 * calls (hit rates), by Brier score, and by confidence bucket (calibration). Champion and challenger on
 * the same timeframe see the same bars, so their rows compare directly.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ModelAccuracy {
  @SchemaFieldName("model_id")
  public abstract String getModelId();

  @SchemaFieldName("model_version")
  public abstract String getModelVersion();

  @SchemaFieldName("registry_version")
  public abstract String getRegistryVersion();

  @SchemaFieldName("model_type")
  public abstract String getModelType();

  @SchemaFieldName("timeframe")
  public abstract String getTimeframe();

  @SchemaFieldName("outcomes")
  public abstract long getOutcomes();

  @SchemaFieldName("accuracy")
  public abstract double getAccuracy();

  @SchemaFieldName("long_predictions")
  public abstract long getLongPredictions();

  /** Share of long calls that were realized long; null without long calls. */
  @SchemaFieldName("long_hit_rate")
  public abstract @Nullable Double getLongHitRate();

  @SchemaFieldName("short_predictions")
  public abstract long getShortPredictions();

  @SchemaFieldName("short_hit_rate")
  public abstract @Nullable Double getShortHitRate();

  /** Mean multi-class Brier score (0 perfect, 2 worst); null when the model gives no class probabilities. */
  @SchemaFieldName("brier_score")
  public abstract @Nullable Double getBrierScore();

  @SchemaFieldName("calibration")
  public abstract List<CalibrationBucket> getCalibration();

  public static Builder builder() {
    return new AutoValue_ModelAccuracy.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setModelId(String v);

    public abstract Builder setModelVersion(String v);

    public abstract Builder setRegistryVersion(String v);

    public abstract Builder setModelType(String v);

    public abstract Builder setTimeframe(String v);

    public abstract Builder setOutcomes(long v);

    public abstract Builder setAccuracy(double v);

    public abstract Builder setLongPredictions(long v);

    public abstract Builder setLongHitRate(@Nullable Double v);

    public abstract Builder setShortPredictions(long v);

    public abstract Builder setShortHitRate(@Nullable Double v);

    public abstract Builder setBrierScore(@Nullable Double v);

    public abstract Builder setCalibration(List<CalibrationBucket> v);

    public abstract ModelAccuracy build();
  }
}
