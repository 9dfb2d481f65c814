package com.cryptoml.inference.transforms.values;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;

/**
 * A message as a source delivered it, before parsing: the payload bytes and where it came from
 * ({@code kafka:features.1h/2@1041}, {@code pubsub:projects/p/subscriptions/s}, a file).
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class RawEvent {
  /** Null when the message had no value (a tombstone). */
  @SchemaFieldName("payload")
  @SuppressWarnings("mutable")
  public abstract @org.checkerframework.checker.nullness.qual.Nullable byte[] getPayload();

  @SchemaFieldName("source")
  public abstract String getSource();

  /** The message key as UTF-8 ({@code symbol:exchange} on the feature topics), or null. */
  @SchemaFieldName("key")
  public abstract @org.checkerframework.checker.nullness.qual.Nullable String getKey();

  public static RawEvent of(byte[] payload, String source) {
    return builder().setPayload(payload).setSource(source).setKey(null).build();
  }

  public static RawEvent of(byte[] payload, String source, String key) {
    return builder().setPayload(payload).setSource(source).setKey(key).build();
  }

  public static Builder builder() {
    return new AutoValue_RawEvent.Builder();
  }

  /** Builder for schema inference. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setPayload(@org.checkerframework.checker.nullness.qual.Nullable byte[] payload);

    public abstract Builder setSource(String source);

    public abstract Builder setKey(@org.checkerframework.checker.nullness.qual.Nullable String key);

    public abstract RawEvent build();
  }
}
