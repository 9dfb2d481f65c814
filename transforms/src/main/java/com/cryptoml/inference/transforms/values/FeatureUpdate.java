package com.cryptoml.inference.transforms.values;

import com.google.auto.value.AutoValue;
import java.util.Map;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A feature update: one bar's features for a symbol, exchange and timeframe. Parsed from Kafka or
 * Pub/Sub JSON or read from Parquet, the same type either way. {@code features} holds the values the
 * bar carries; a feature sent as null (missing) is simply absent.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class FeatureUpdate {
  @SchemaFieldName("event_id")
  public abstract String getEventId();

  /** Bar close time: the event time. */
  @SchemaFieldName("timestamp")
  public abstract Instant getTimestamp();

  @SchemaFieldName("symbol")
  public abstract String getSymbol();

  @SchemaFieldName("exchange")
  public abstract String getExchange();

  @SchemaFieldName("timeframe")
  public abstract String getTimeframe();

  @SchemaFieldName("feature_set_version")
  public abstract @Nullable String getFeatureSetVersion();

  @SchemaFieldName("features")
  public abstract Map<String, Double> getFeatures();

  /** Where the update came from, for dead letters. */
  @SchemaFieldName("source")
  public abstract String getSource();

  /** The payload as received, kept so a later dead letter can carry it; null for Parquet rows. */
  @SchemaFieldName("payload")
  public abstract @Nullable String getPayload();

  /** Key of the per-bar history: symbol, exchange, timeframe. */
  public String historyKey() {
    return getSymbol() + "|" + getExchange() + "|" + getTimeframe();
  }

  public static Builder builder() {
    return new AutoValue_FeatureUpdate.Builder();
  }

  public abstract Builder toBuilder();

  /** Builder for schema inference and parsers. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setEventId(String v);

    public abstract Builder setTimestamp(Instant v);

    public abstract Builder setSymbol(String v);

    public abstract Builder setExchange(String v);

    public abstract Builder setTimeframe(String v);

    public abstract Builder setFeatureSetVersion(@Nullable String v);

    public abstract Builder setFeatures(Map<String, Double> v);

    public abstract Builder setSource(String v);

    public abstract Builder setPayload(@Nullable String v);

    public abstract FeatureUpdate build();
  }
}
