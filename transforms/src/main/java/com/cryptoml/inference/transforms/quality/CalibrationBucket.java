package com.cryptoml.inference.transforms.quality;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;

/** Predictions whose confidence fell in [lower, upper): how confident they were and how often right. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class CalibrationBucket {
  @SchemaFieldName("lower")
  public abstract double getLower();

  @SchemaFieldName("upper")
  public abstract double getUpper();

  @SchemaFieldName("count")
  public abstract long getCount();

  @SchemaFieldName("mean_confidence")
  public abstract double getMeanConfidence();

  @SchemaFieldName("accuracy")
  public abstract double getAccuracy();

  public static CalibrationBucket of(double lower, double upper, long count, double meanConfidence, double accuracy) {
    return new AutoValue_CalibrationBucket(lower, upper, count, meanConfidence, accuracy);
  }
}
