package com.cryptoml.inference.transforms.events;

import com.cryptoml.inference.transforms.quality.CalibrationBucket;
import com.cryptoml.inference.transforms.quality.FeatureDriftResult;
import com.cryptoml.inference.transforms.quality.ModelAccuracy;
import com.cryptoml.inference.transforms.quality.PredictionMix;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The monitoring events of {@code inference.metrics} that come from the data: {@code feature_drift}
 * (a feature above the PSI threshold in a window), {@code prediction_mix} (class mix per window) and
 * {@code model_accuracy} (cumulative accuracy per model version). Event ids are name-based on what the
 * event describes, so a replayed window publishes the same id.
 */
public final class QualityEvents {
  private QualityEvents() {}

  public static String featureDrift(FeatureDriftResult r, EventJson.Envelope env, long nowMillis) {
    String id = EventIds.nameBased(String.join("|", "feature_drift", r.getModelId(), r.getRegistryVersion(), r.getFeature(),
        String.valueOf(r.getWindowStart().getMillis()), String.valueOf(r.getWindowEnd().getMillis()))).toString();
    return EventJson.write(g -> {
      EventJson.envelope(g, id, nowMillis, env, "feature_drift");
      model(g, r.getModelId(), r.getModelVersion(), r.getRegistryVersion(), r.getTimeframe());
      g.writeStringField("feature", r.getFeature());
      g.writeStringField("window_start", EventJson.iso(r.getWindowStart().getMillis()));
      g.writeStringField("window_end", EventJson.iso(r.getWindowEnd().getMillis()));
      g.writeNumberField("samples", r.getSamples());
      g.writeNumberField("psi", r.getPsi());
      g.writeNumberField("threshold", r.getThreshold());
    });
  }

  public static String predictionMix(PredictionMix m, EventJson.Envelope env, long nowMillis) {
    String id = EventIds.nameBased(String.join("|", "prediction_mix", m.getModelId(), m.getRegistryVersion(),
        String.valueOf(m.getWindowStart().getMillis()), String.valueOf(m.getWindowEnd().getMillis()))).toString();
    return EventJson.write(g -> {
      EventJson.envelope(g, id, nowMillis, env, "prediction_mix");
      model(g, m.getModelId(), m.getModelVersion(), m.getRegistryVersion(), m.getTimeframe());
      g.writeStringField("window_start", EventJson.iso(m.getWindowStart().getMillis()));
      g.writeStringField("window_end", EventJson.iso(m.getWindowEnd().getMillis()));
      g.writeNumberField("predictions", m.getPredictions());
      g.writeObjectFieldStart("counts");
      g.writeNumberField("short", m.getShort());
      g.writeNumberField("neutral", m.getNeutral());
      g.writeNumberField("long", m.getLong());
      g.writeEndObject();
      g.writeNumberField("last_period_predictions", m.getLastPeriodPredictions());
      if (m.getLastPeriodPsi() != null) {
        g.writeNumberField("last_period_psi", m.getLastPeriodPsi());
      }
    });
  }

  public static String modelAccuracy(ModelAccuracy a, EventJson.Envelope env, long nowMillis) {
    String id = EventIds.nameBased(String.join("|", "model_accuracy", a.getModelId(), a.getRegistryVersion(),
        String.valueOf(a.getOutcomes()), String.valueOf(nowMillis))).toString();
    return EventJson.write(g -> {
      EventJson.envelope(g, id, nowMillis, env, "model_accuracy");
      model(g, a.getModelId(), a.getModelVersion(), a.getRegistryVersion(), a.getTimeframe());
      g.writeStringField("model_type", a.getModelType());
      g.writeNumberField("outcomes", a.getOutcomes());
      g.writeNumberField("accuracy", a.getAccuracy());
      g.writeNumberField("long_predictions", a.getLongPredictions());
      if (a.getLongHitRate() != null) {
        g.writeNumberField("long_hit_rate", a.getLongHitRate());
      }
      g.writeNumberField("short_predictions", a.getShortPredictions());
      if (a.getShortHitRate() != null) {
        g.writeNumberField("short_hit_rate", a.getShortHitRate());
      }
      if (a.getBrierScore() != null) {
        g.writeNumberField("brier_score", a.getBrierScore());
      }
      g.writeArrayFieldStart("calibration");
      for (CalibrationBucket b : a.getCalibration()) {
        g.writeStartObject();
        g.writeNumberField("confidence_from", b.getLower());
        g.writeNumberField("confidence_to", b.getUpper());
        g.writeNumberField("count", b.getCount());
        g.writeNumberField("mean_confidence", b.getMeanConfidence());
        g.writeNumberField("accuracy", b.getAccuracy());
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  private static void model(JsonGenerator g, String modelId, String version, String registryVersion, String timeframe)
      throws IOException {
    g.writeStringField("model_id", modelId);
    g.writeStringField("model_version", version);
    g.writeStringField("registry_version", registryVersion);
    g.writeStringField("timeframe", timeframe);
  }
}
