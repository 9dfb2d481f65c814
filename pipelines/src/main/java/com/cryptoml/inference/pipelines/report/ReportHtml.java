package com.cryptoml.inference.pipelines.report;

import com.cryptoml.inference.transforms.quality.CalibrationBucket;
import com.cryptoml.inference.transforms.quality.FeatureDriftResult;
import com.cryptoml.inference.transforms.quality.ModelAccuracy;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The backfill report as one self-contained HTML page: tables written here, charts drawn in the page
 * from embedded JSON by {@code report.js} (inline SVG, no library, no network), so it opens from a
 * bucket or a laptop alike.
 */
public final class ReportHtml {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportHtml() {}

  public static String render(ReportData d) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Backfill ").append(esc(d.requestId()))
        .append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body data-status=\"loading\">\n");
    b.append("<h1>Backfill ").append(esc(d.requestId())).append("</h1>\n<p class=\"meta\">")
        .append(esc(d.start())).append(" to ").append(esc(d.end())).append(" &middot; timeframes ").append(esc(String.join(", ", d.timeframes())))
        .append(" &middot; ").append(String.format(Locale.ROOT, "%,d", d.predictions())).append(" predictions &middot; generated ")
        .append(esc(d.generatedAt())).append("</p>\n<p class=\"meta\">Models: ");
    d.models().forEach((ref, label) -> b.append("<code>").append(esc(ref)).append("</code> = ").append(esc(label)).append(" "));
    b.append("</p>\n");

    TreeSet<String> versions = new TreeSet<>();
    d.mix().forEach(r -> versions.add(r.model()));
    b.append("<h2>Prediction mix over time</h2>\n");
    if (versions.isEmpty()) {
      b.append("<p>No predictions in this backfill.</p>\n");
    }
    for (String v : versions) {
      figure(b, "mix", v, v + ": predictions per day by class");
    }

    b.append("<h2>Accuracy and calibration</h2>\n");
    if (d.accuracy().isEmpty()) {
      b.append("<p>No prediction could be joined with its outcome: the horizon bars after each prediction were not in the input.</p>\n");
    } else {
      b.append("<p>Each prediction is judged by the bars over its model's horizon (see README, Monitoring). Long and short hit rates are the ")
          .append("shares of those calls that were right; the Brier score ranges from 0 (perfect) to 2.</p>\n");
      b.append("<table><thead><tr><th>model</th><th>version</th><th>timeframe</th><th>type</th><th>outcomes</th><th>accuracy</th>")
          .append("<th>long calls</th><th>long hit rate</th><th>short calls</th><th>short hit rate</th><th>Brier</th></tr></thead><tbody>\n");
      for (ModelAccuracy a : d.accuracy()) {
        b.append("<tr><td>").append(esc(a.getModelId())).append("</td><td>").append(esc(a.getModelVersion())).append("</td><td>")
            .append(esc(a.getTimeframe())).append("</td><td>").append(esc(a.getModelType())).append("</td><td>").append(a.getOutcomes())
            .append("</td><td>").append(pct(a.getAccuracy())).append("</td><td>").append(a.getLongPredictions()).append("</td><td>")
            .append(pct(a.getLongHitRate())).append("</td><td>").append(a.getShortPredictions()).append("</td><td>")
            .append(pct(a.getShortHitRate())).append("</td><td>").append(a.getBrierScore() == null ? "-" : String.format(Locale.ROOT, "%.3f", a.getBrierScore()))
            .append("</td></tr>\n");
      }
      b.append("</tbody></table>\n<div class=\"row\">\n");
      for (ModelAccuracy a : d.accuracy()) {
        figure(b, "calibration", a.getModelId() + "@" + a.getModelVersion(), a.getModelId() + "@" + a.getModelVersion() + ": calibration");
      }
      b.append("</div>\n");
    }

    b.append("<h2>Feature drift</h2>\n");
    TreeSet<String> drifting = new TreeSet<>();
    d.drift().forEach(r -> drifting.add(r.getModelId() + "@" + r.getModelVersion()));
    if (drifting.isEmpty()) {
      b.append("<p>No drift window held enough observations (monitoring.drift_min_samples).</p>\n");
    } else {
      b.append("<p>Population stability index of each feature per window against the model's training histogram; above ")
          .append(d.driftThreshold()).append(" the feature has drifted.</p>\n");
      long over = d.drift().stream().filter(FeatureDriftResult::drifted).count();
      b.append("<p>").append(over).append(" of ").append(d.drift().size()).append(" feature windows shown above the threshold (at most " + BackfillReport.MAX_DRIFT_WINDOWS + " evenly spaced windows per feature).</p>\n");
    }
    for (String v : drifting) {
      figure(b, "drift", v, v + ": PSI per feature over time");
    }

    b.append("<h2>Model call latency</h2>\n");
    if (d.latency().stream().allMatch(x -> x.count() == 0)) {
      b.append("<p>No model calls.</p>\n");
    } else {
      figure(b, "latency", "", "Duration of model calls (inference_latency_ms; one call serves a batch)");
    }

    b.append("<script type=\"application/json\" id=\"report-data\">").append(json(d).replace("</", "<\\/")).append("</script>\n");
    b.append("<script>\n").append(SCRIPT).append("</script>\n</body></html>\n");
    return b.toString();
  }

  private static void figure(StringBuilder b, String kind, String model, String caption) {
    b.append("<figure class=\"chart\" data-kind=\"").append(kind).append("\" data-model=\"").append(esc(model)).append("\"><figcaption>")
        .append(esc(caption)).append("</figcaption></figure>\n");
  }

  static String json(ReportData d) {
    ObjectNode root = JSON.createObjectNode();
    root.put("drift_threshold", d.driftThreshold());
    ArrayNode mix = root.putArray("mix");
    d.mix().forEach(r -> mix.addObject().put("model", r.model()).put("day", r.day()).put("short", r.shortCalls())
        .put("neutral", r.neutralCalls()).put("long", r.longCalls()));
    ArrayNode accuracy = root.putArray("accuracy");
    for (ModelAccuracy a : d.accuracy()) {
      ObjectNode o = accuracy.addObject().put("model_id", a.getModelId()).put("model_version", a.getModelVersion())
          .put("outcomes", a.getOutcomes()).put("accuracy", a.getAccuracy());
      ArrayNode buckets = o.putArray("calibration");
      for (CalibrationBucket c : a.getCalibration()) {
        buckets.addObject().put("lower", c.getLower()).put("upper", c.getUpper()).put("count", c.getCount())
            .put("mean_confidence", c.getMeanConfidence()).put("accuracy", c.getAccuracy());
      }
    }
    ArrayNode drift = root.putArray("drift");
    d.drift().forEach(r -> drift.addObject().put("model", r.getModelId() + "@" + r.getModelVersion()).put("feature", r.getFeature())
        .put("window_end", r.getWindowEnd().toString()).put("psi", r.getPsi()).put("samples", r.getSamples()));
    ArrayNode latency = root.putArray("latency");
    d.latency().forEach(x -> latency.addObject().put("bucket", x.bucket()).put("count", x.count()));
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pct(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.1f%%", v * 100);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static final String CSS = """
      body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
      h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
      .meta { color: #555; } code { background: #f3f3f3; padding: 0 3px; }
      table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
      th:first-child, td:first-child { text-align: left; }
      figure.chart { margin: 10px 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
      .row { display: flex; flex-wrap: wrap; gap: 12px; } .error { color: #b00; }
      """;

  private static final String SCRIPT = resource("/report/report.js");

  private static String resource(String name) {
    try (InputStream in = ReportHtml.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing resource " + name, e);
    }
  }
}
