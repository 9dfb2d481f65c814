package com.cryptoml.inference.transforms.parse;

import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.DeadLetterReason;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.joda.time.Instant;

/**
 * Parses one feature update JSON payload with a streaming parser (no tree, no reflection, nothing
 * that can instantiate classes), checking every field's type on the way. Returns either the update
 * or the dead letter saying exactly what was wrong.
 *
 * <p>Accepted: an object with string {@code event_id}, {@code timestamp} (ISO-8601 with offset),
 * {@code symbol}, {@code exchange}, {@code timeframe}, optional {@code feature_set_version}, and a
 * {@code features} object of numbers or nulls. {@code NaN}/{@code Infinity} tokens parse (feature
 * jobs written in Python emit them) and are rejected later as non-finite. Unknown fields are ignored.
 */
public final class FeatureUpdateParser {
  static final int MAX_FEATURES = 1024;
  static final int MAX_NAME_CHARS = 128;
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(64 * 1024).maxNumberLength(64).build())
      .build();

  private final int maxPayloadBytes;

  public FeatureUpdateParser(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** The parse outcome: exactly one of the two is set. */
  public record Result(FeatureUpdate update, DeadLetter deadLetter) {}

  public Result parse(byte[] payload, String source) {
    return parse(payload, source, null, false);
  }

  /**
   * As {@link #parse(byte[], String)}, also checking the message key: where keys are required (the
   * Kafka feature topics, keyed {@code symbol:exchange} so a key's bars stay in one partition, in
   * order), a missing key or one that disagrees with the payload is a dead letter.
   */
  public Result parse(byte[] payload, String source, String key, boolean keyRequired) {
    Result r = parseValue(payload, source);
    if (r.update() == null || !keyRequired) {
      return r;
    }
    FeatureUpdate u = r.update();
    String expected = u.getSymbol() + ":" + u.getExchange();
    if (key == null) {
      return fail(DeadLetterReason.MISSING_KEY, "message has no key; expected " + abbreviate(expected), source, payload);
    }
    if (!key.equals(expected)) {
      return fail(DeadLetterReason.KEY_MISMATCH, "message key " + abbreviate(key) + " does not match the payload's "
          + abbreviate(expected), source, payload);
    }
    return r;
  }

  private Result parseValue(byte[] payload, String source) {
    if (payload == null) {
      return fail(DeadLetterReason.MISSING_FIELD, "empty message (null value)", source, new byte[0]);
    }
    if (payload.length > maxPayloadBytes) {
      return fail(DeadLetterReason.PAYLOAD_TOO_LARGE, "payload of " + payload.length + " bytes exceeds the limit of "
          + maxPayloadBytes, source, payload);
    }
    if (!Utf8.isValid(payload)) {
      return fail(DeadLetterReason.INVALID_ENCODING, "payload is not valid UTF-8", source, payload);
    }
    try (JsonParser p = JSON.createParser(payload)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return fail(DeadLetterReason.MALFORMED_JSON, "empty payload", source, payload);
      }
      if (first != JsonToken.START_OBJECT) {
        return fail(DeadLetterReason.NOT_AN_OBJECT, "payload is a JSON " + describe(first) + ", not an object", source, payload);
      }
      FeatureUpdate.Builder b = FeatureUpdate.builder().setSource(source).setPayload(new String(payload, StandardCharsets.UTF_8));
      Map<String, Double> features = null;
      String eventId = null;
      String timestamp = null;
      String symbol = null;
      String exchange = null;
      String timeframe = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "event_id" -> eventId = text(p, v, field);
          case "timestamp" -> timestamp = text(p, v, field);
          case "symbol" -> symbol = text(p, v, field);
          case "exchange" -> exchange = text(p, v, field);
          case "timeframe" -> timeframe = text(p, v, field);
          case "feature_set_version" -> b.setFeatureSetVersion(v == JsonToken.VALUE_NULL ? null : text(p, v, field));
          case "event_type" -> {
            String type = text(p, v, field);
            if (!"feature_update".equals(type)) {
              throw new FieldError(DeadLetterReason.INVALID_TYPE, "event_type is '" + type + "', expected 'feature_update'");
            }
          }
          case "features" -> features = features(p, v);
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return fail(DeadLetterReason.MALFORMED_JSON, "trailing content after the JSON object", source, payload);
      }
      String missing = eventId == null ? "event_id" : timestamp == null ? "timestamp" : symbol == null ? "symbol"
          : exchange == null ? "exchange" : timeframe == null ? "timeframe" : features == null ? "features" : null;
      if (missing != null) {
        return fail(DeadLetterReason.MISSING_FIELD, "required field '" + missing + "' is missing", source, payload);
      }
      Instant time;
      try {
        time = new Instant(OffsetDateTime.parse(timestamp).toInstant().toEpochMilli());
      } catch (DateTimeParseException e) {
        return fail(DeadLetterReason.INVALID_TIMESTAMP, "timestamp '" + abbreviate(timestamp) + "' is not ISO-8601 with an offset", source, payload);
      }
      return new Result(b.setEventId(eventId).setTimestamp(time).setSymbol(symbol).setExchange(exchange)
          .setTimeframe(timeframe).setFeatures(features).build(), null);
    } catch (FieldError e) {
      return fail(e.reason, e.getMessage(), source, payload);
    } catch (JsonProcessingException e) {
      return fail(DeadLetterReason.MALFORMED_JSON, "malformed JSON: " + e.getOriginalMessage(), source, payload);
    } catch (IOException e) {
      return fail(DeadLetterReason.MALFORMED_JSON, "unreadable payload: " + e.getMessage(), source, payload);
    }
  }

  private static Map<String, Double> features(JsonParser p, JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      throw new FieldError(DeadLetterReason.INVALID_TYPE, "features must be an object, got " + describe(start));
    }
    Map<String, Double> out = new HashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
        throw new FieldError(DeadLetterReason.INVALID_TYPE, "feature names must have 1 to " + MAX_NAME_CHARS + " characters");
      }
      if (v == JsonToken.VALUE_NULL) {
        continue; // missing: imputation decides
      }
      if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT) {
        throw new FieldError(DeadLetterReason.INVALID_TYPE, "features." + abbreviate(name) + " must be a number or null, got " + describe(v));
      }
      if (out.size() >= MAX_FEATURES) {
        throw new FieldError(DeadLetterReason.INVALID_TYPE, "more than " + MAX_FEATURES + " features");
      }
      out.put(name, p.getDoubleValue());
    }
    return out;
  }

  private static String text(JsonParser p, JsonToken v, String field) throws IOException {
    if (v != JsonToken.VALUE_STRING) {
      throw new FieldError(DeadLetterReason.INVALID_TYPE, field + " must be a string, got " + describe(v));
    }
    String s = p.getText();
    if (s.isBlank() || s.length() > 256) {
      throw new FieldError(DeadLetterReason.INVALID_TYPE, field + " must be a non-blank string of at most 256 characters");
    }
    return s;
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "array";
      case START_OBJECT -> "object";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }

  private static String abbreviate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }

  private static Result fail(DeadLetterReason reason, String detail, String source, byte[] payload) {
    return new Result(null, DeadLetter.of(reason, detail, source, payload));
  }

  /** A field of the wrong type or value; unwinds the parse. */
  private static final class FieldError extends RuntimeException {
    final DeadLetterReason reason;

    FieldError(DeadLetterReason reason, String message) {
      super(message, null, false, false); // control flow: no stack trace
      this.reason = reason;
    }
  }
}
