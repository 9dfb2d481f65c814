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
  @SchemaFieldName("payload")
  @SuppressWarnings("mutable")
  public abstract byte[] getPayload();

  @SchemaFieldName("source")
  public abstract String getSource();

  public static RawEvent of(byte[] payload, String source) {
    return builder().setPayload(payload).setSource(source).build();
  }

  public static Builder builder() {
    return new AutoValue_RawEvent.Builder();
  }

  /** Builder for schema inference. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setPayload(byte[] payload);

    public abstract Builder setSource(String source);

    public abstract RawEvent build();
  }
}
