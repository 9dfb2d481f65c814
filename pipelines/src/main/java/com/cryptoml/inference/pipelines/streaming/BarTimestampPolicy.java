package com.cryptoml.inference.pipelines.streaming;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.CustomTimestampPolicyWithLimitedDelay;
import org.apache.beam.sdk.io.kafka.KafkaRecord;

import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time of a Kafka feature update = the bar close time in its payload; the watermark trails the
 * newest bar time by {@code maxDelay} (out-of-order tolerance) and, when a partition is caught up,
 * follows the clock (so quiet 1d topics do not hold 1m bars back). A payload whose time cannot be
 * read keeps the broker's timestamp; the parse step dead-letters it.
 */
public final class BarTimestampPolicy {
  private BarTimestampPolicy() {}

  public static TimestampPolicyFactory<byte[], byte[]> withMaxDelay(Duration maxDelay, BarTimeLimit limit) {
    return (TopicPartition tp, Optional<Instant> previousWatermark) ->
        new CustomTimestampPolicyWithLimitedDelay<byte[], byte[]>(r -> barTime(r, limit), maxDelay, previousWatermark);
  }

  /**
   * The bar time of the payload; without a usable one (unparseable, or beyond the limit) the record's
   * own timestamp, no later than now, so that a bad record never drags the watermark ahead.
   */
  static Instant barTime(KafkaRecord<byte[], byte[]> record, BarTimeLimit limit) {
    Instant fromPayload = barTime(record.getKV().getValue());
    if (fromPayload != null && limit.allows(fromPayload.getMillis())) {
      return fromPayload;
    }
    return new Instant(Math.min(record.getTimestamp(), System.currentTimeMillis()));
  }

  /** The "timestamp" string of a feature update JSON, found without parsing the whole document. */
  static Instant barTime(byte[] payload) {
    if (payload == null || payload.length > 1 << 20) {
      return null;
    }
    String s = new String(payload, StandardCharsets.UTF_8);
    int key = s.indexOf("\"timestamp\"");
    if (key < 0) {
      return null;
    }
    int colon = s.indexOf(':', key + 11);
    int open = colon < 0 ? -1 : s.indexOf('"', colon + 1);
    int close = open < 0 ? -1 : s.indexOf('"', open + 1);
    if (close < 0 || close - open > 64) {
      return null;
    }
    try {
      return new Instant(OffsetDateTime.parse(s.substring(open + 1, close)).toInstant().toEpochMilli());
    } catch (RuntimeException e) {
      return null;
    }
  }

}
