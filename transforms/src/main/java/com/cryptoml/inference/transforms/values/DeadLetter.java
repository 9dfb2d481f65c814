package com.cryptoml.inference.transforms.values;

import com.google.auto.value.AutoValue;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The one dead-letter type every stage emits: the reason code, a human-readable detail, the stage,
 * where the input came from and the original payload (truncated to {@link #MAX_PAYLOAD_CHARS}), plus
 * what is known of the bar and model. Published as {@code inference_error} events.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class DeadLetter {
  public static final int MAX_PAYLOAD_CHARS = 8 * 1024;

  @SchemaFieldName("reason")
  public abstract String getReason();

  @SchemaFieldName("detail")
  public abstract String getDetail();

  @SchemaFieldName("stage")
  public abstract String getStage();

  @SchemaFieldName("source")
  public abstract String getSource();

  @SchemaFieldName("payload")
  public abstract String getPayload();

  @SchemaFieldName("payload_truncated")
  public abstract boolean getPayloadTruncated();

  @SchemaFieldName("symbol")
  public abstract @Nullable String getSymbol();

  @SchemaFieldName("exchange")
  public abstract @Nullable String getExchange();

  @SchemaFieldName("timeframe")
  public abstract @Nullable String getTimeframe();

  @SchemaFieldName("model_id")
  public abstract @Nullable String getModelId();

  @SchemaFieldName("feature_timestamp")
  public abstract @Nullable Instant getFeatureTimestamp();

  public static Builder builder() {
    return new AutoValue_DeadLetter.Builder().setPayloadTruncated(false).setPayload("");
  }

  /** A dead letter for an input that never became a feature update. */
  public static DeadLetter of(DeadLetterReason reason, String detail, String source, byte[] payload) {
    return builder().setReason(reason.code()).setStage(reason.stage()).setDetail(detail).setSource(source)
        .payload(payload).build();
  }

  /** A dead letter for a parsed feature update (optionally for one model). */
  public static DeadLetter of(DeadLetterReason reason, String detail, FeatureUpdate update, @Nullable String modelId) {
    return builder().setReason(reason.code()).setStage(reason.stage()).setDetail(detail)
        .setSource(update.getSource())
        .payload(update.getPayload() != null ? update.getPayload() : "")
        .setSymbol(update.getSymbol()).setExchange(update.getExchange()).setTimeframe(update.getTimeframe())
        .setFeatureTimestamp(update.getTimestamp()).setModelId(modelId).build();
  }

  /** Builder for schema inference and stages. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setReason(String v);

    public abstract Builder setDetail(String v);

    public abstract Builder setStage(String v);

    public abstract Builder setSource(String v);

    public abstract Builder setPayload(String v);

    public abstract Builder setPayloadTruncated(boolean v);

    public abstract Builder setSymbol(@Nullable String v);

    public abstract Builder setExchange(@Nullable String v);

    public abstract Builder setTimeframe(@Nullable String v);

    public abstract Builder setModelId(@Nullable String v);

    public abstract Builder setFeatureTimestamp(@Nullable Instant v);

    public abstract DeadLetter build();

    /** The original bytes as text (invalid UTF-8 replaced), truncated for oversize payloads. */
    public Builder payload(byte[] bytes) {
      String text = new String(bytes, 0, Math.min(bytes.length, MAX_PAYLOAD_CHARS * 4), StandardCharsets.UTF_8);
      return payload(text).setPayloadTruncated(bytes.length > MAX_PAYLOAD_CHARS * 4 || text.length() > MAX_PAYLOAD_CHARS);
    }

    public Builder payload(String text) {
      boolean truncated = text.length() > MAX_PAYLOAD_CHARS;
      return setPayload(truncated ? text.substring(0, MAX_PAYLOAD_CHARS) : text).setPayloadTruncated(truncated);
    }
  }
}
