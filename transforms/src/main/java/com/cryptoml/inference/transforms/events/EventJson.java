package com.cryptoml.inference.transforms.events;

import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * Writes events as JSON with a fixed field order: the request's prediction fields first, exactly as
 * its example shows them, then the platform's extras. Written with a streaming generator, not
 * reflection, so the order is guaranteed and nothing is serialised by accident.
 */
public final class EventJson {
  private static final JsonFactory JSON = new JsonFactory();

  private EventJson() {}

  /** The envelope every event of this service shares. */
  public record Envelope(String environment, String subEnvironment, String mode) implements java.io.Serializable {}

  public static String prediction(PredictionEvent e) {
    return write(g -> {
      g.writeStringField("event_id", e.getEventId());
      g.writeStringField("timestamp", iso(e.getTimestamp().getMillis()));
      g.writeStringField("service", e.getService());
      g.writeStringField("environment", e.getEnvironment());
      g.writeStringField("sub_environment", e.getSubEnvironment());
      g.writeStringField("mode", e.getMode());
      g.writeStringField("event_type", e.getEventType());
      g.writeStringField("model_id", e.getModelId());
      g.writeStringField("model_version", e.getModelVersion());
      g.writeStringField("symbol", e.getSymbol());
      g.writeStringField("timeframe", e.getTimeframe());
      g.writeNumberField("prediction", e.getPrediction());
      g.writeNumberField("confidence", e.getConfidence());
      g.writeStringField("exchange", e.getExchange());
      g.writeStringField("model_type", e.getModelType());
      g.writeStringField("feature_timestamp", iso(e.getFeatureTimestamp().getMillis()));
      g.writeStringField("registry_version", e.getRegistryVersion());
      g.writeStringField("model_ref", e.getModelRef());
      g.writeStringField("model_role", e.getModelRole());
      if (e.getScore() != null) {
        g.writeNumberField("score", e.getScore());
      } else {
        g.writeObjectFieldStart("probabilities");
        for (Map.Entry<String, Double> p : e.getProbabilities().entrySet()) {
          g.writeNumberField(p.getKey(), p.getValue());
        }
        g.writeEndObject();
      }
      g.writeArrayFieldStart("imputed_features");
      for (String f : e.getImputedFeatures()) {
        g.writeString(f);
      }
      g.writeEndArray();
      g.writeNumberField("inference_latency_ms", e.getInferenceLatencyMs());
      if (e.getBatchRequestId() != null) {
        g.writeStringField("batch_request_id", e.getBatchRequestId());
      }
    });
  }

  /** An {@code inference_error} event for a dead letter. */
  public static String inferenceError(DeadLetter d, Envelope env, long nowMillis) {
    String id = EventIds.nameBased(String.join("|", "inference_error", d.getReason(), d.getSource(),
        d.getModelId() == null ? "" : d.getModelId(), d.getPayload())).toString();
    return write(g -> {
      envelope(g, id, nowMillis, env, "inference_error");
      g.writeStringField("reason", d.getReason());
      g.writeStringField("stage", d.getStage());
      g.writeStringField("detail", d.getDetail());
      g.writeStringField("source", d.getSource());
      optional(g, "symbol", d.getSymbol());
      optional(g, "exchange", d.getExchange());
      optional(g, "timeframe", d.getTimeframe());
      optional(g, "model_id", d.getModelId());
      if (d.getFeatureTimestamp() != null) {
        g.writeStringField("feature_timestamp", iso(d.getFeatureTimestamp().getMillis()));
      }
      g.writeStringField("original_payload", d.getPayload());
      g.writeBooleanField("payload_truncated", d.getPayloadTruncated());
    });
  }

  /** A feature update as the feature platform sends it (for replays and tests). */
  public static String featureUpdate(FeatureUpdate u) {
    return write(g -> {
      g.writeStringField("event_id", u.getEventId());
      g.writeStringField("timestamp", iso(u.getTimestamp().getMillis()));
      g.writeStringField("service", "feature-engineering-service");
      g.writeStringField("environment", "production");
      g.writeStringField("event_type", "feature_update");
      g.writeStringField("symbol", u.getSymbol());
      g.writeStringField("exchange", u.getExchange());
      g.writeStringField("timeframe", u.getTimeframe());
      optional(g, "feature_set_version", u.getFeatureSetVersion());
      g.writeObjectFieldStart("features");
      for (Map.Entry<String, Double> f : u.getFeatures().entrySet()) {
        g.writeNumberField(f.getKey(), f.getValue());
      }
      g.writeEndObject();
    });
  }

  /** Writes the shared envelope fields of a platform event. */
  public static void envelope(JsonGenerator g, String eventId, long nowMillis, Envelope env, String type) throws IOException {
    g.writeStringField("event_id", eventId);
    g.writeStringField("timestamp", iso(nowMillis));
    g.writeStringField("service", com.cryptoml.inference.transforms.values.PredictionEvent.SERVICE);
    g.writeStringField("environment", env.environment());
    g.writeStringField("sub_environment", env.subEnvironment());
    g.writeStringField("mode", env.mode());
    g.writeStringField("event_type", type);
  }

  private static void optional(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  public static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  /** Writes one JSON object through {@code body}. */
  public static String write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The fields of one JSON object. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }
}
