package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.DeadLetterReason;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.google.auto.value.AutoValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Parquet history rows (as Avro records, with the file's own schema) to feature updates. Accepts the
 * wide layout (one numeric column per feature) and the map layout (a {@code features} map), and
 * timestamps as timestamp-millis, timestamp-micros (DuckDB, Spark) or ISO-8601 strings. A row without
 * a key field or with an unreadable timestamp becomes a dead letter carrying the row.
 */
public final class HistoryRecords {
  private HistoryRecords() {}

  /** The most features a row may carry (the JSON parser's limit too): no input-sized allocation. */
  static final int MAX_FEATURES = 1024;

  /** One row's outcome: exactly one of the two is set. */
  @DefaultSchema(AutoValueSchema.class)
  @AutoValue
  public abstract static class Row {
    public abstract @Nullable FeatureUpdate getUpdate();

    public abstract @Nullable DeadLetter getDeadLetter();

    public static Row of(@Nullable FeatureUpdate update, @Nullable DeadLetter deadLetter) {
      return new AutoValue_HistoryRecords_Row(update, deadLetter);
    }
  }

  /** The conversion ParquetIO applies to every record; {@code source} names the input in dead letters. */
  public static SerializableFunction<GenericRecord, Row> converter(String source) {
    return record -> convert(record, source);
  }

  static Row convert(GenericRecord r, String source) {
    String symbol = text(r, "symbol");
    String exchange = text(r, "exchange");
    String timeframe = text(r, "timeframe");
    if (symbol == null || exchange == null || timeframe == null) {
      return dead(DeadLetterReason.MISSING_FIELD, "row has no " + (symbol == null ? "symbol" : exchange == null ? "exchange" : "timeframe"), r, source);
    }
    Long millis;
    try {
      millis = timestampMillis(r);
    } catch (RuntimeException e) {
      return dead(DeadLetterReason.INVALID_TIMESTAMP, "timestamp is unreadable: " + e.getMessage(), r, source);
    }
    if (millis == null) {
      return dead(DeadLetterReason.MISSING_FIELD, "row has no timestamp", r, source);
    }
    Map<String, Double> features = new HashMap<>();
    Object map = r.hasField(HistoryColumns.FEATURES_MAP) ? r.get(HistoryColumns.FEATURES_MAP) : null;
    if (map instanceof Map<?, ?> m && m.size() > MAX_FEATURES) {
      return dead(DeadLetterReason.PAYLOAD_TOO_LARGE, "row has " + m.size() + " features, more than " + MAX_FEATURES, r, source);
    }
    if (map instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getValue() instanceof Number n) {
          features.put(e.getKey().toString(), n.doubleValue());
        }
      }
    } else {
      for (Schema.Field f : r.getSchema().getFields()) {
        if (HistoryColumns.METADATA.contains(f.name())) {
          continue;
        }
        Object v = r.get(f.pos());
        if (v instanceof Double || v instanceof Float) {
          features.put(f.name(), ((Number) v).doubleValue());
        }
      }
    }
    if (features.size() > MAX_FEATURES) {
      return dead(DeadLetterReason.PAYLOAD_TOO_LARGE, "row has " + features.size() + " features, more than " + MAX_FEATURES, r, source);
    }
    String eventId = text(r, "event_id");
    if (eventId == null) {
      eventId = UUID.nameUUIDFromBytes((symbol + "|" + exchange + "|" + timeframe + "|" + millis).getBytes(StandardCharsets.UTF_8)).toString();
    }
    return Row.of(FeatureUpdate.builder().setEventId(eventId).setTimestamp(new org.joda.time.Instant(millis))
        .setSymbol(symbol).setExchange(exchange).setTimeframe(timeframe).setFeatureSetVersion(text(r, "feature_set_version"))
        .setFeatures(features).setSource(source).setPayload(null).build(), null);
  }

  private static Long timestampMillis(GenericRecord r) {
    Object v = r.get("timestamp");
    if (v == null) {
      return null;
    }
    if (v instanceof CharSequence s) {
      return OffsetDateTime.parse(s.toString()).toInstant().toEpochMilli();
    }
    if (v instanceof Instant i) {
      return i.toEpochMilli();
    }
    if (v instanceof Long l) {
      LogicalType type = nonNull(r.getSchema().getField("timestamp").schema()).getLogicalType();
      String name = type == null ? "" : type.getName();
      if (name.endsWith("micros")) {
        return Math.floorDiv(l, 1000L);
      }
      if (name.endsWith("nanos")) {
        return Math.floorDiv(l, 1_000_000L);
      }
      return l;
    }
    throw new IllegalArgumentException("unsupported timestamp type " + v.getClass().getSimpleName());
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      for (Schema t : s.getTypes()) {
        if (t.getType() != Schema.Type.NULL) {
          return t;
        }
      }
    }
    return s;
  }

  private static String text(GenericRecord r, String field) {
    if (!r.hasField(field)) {
      return null;
    }
    Object v = r.get(field);
    return v == null || v.toString().isBlank() ? null : v.toString();
  }

  private static Row dead(DeadLetterReason reason, String detail, GenericRecord r, String source) {
    return Row.of(null, DeadLetter.of(reason, detail, source, String.valueOf(r).getBytes(StandardCharsets.UTF_8)));
  }
}
