package com.cryptoml.inference.runners.monitoring;

import com.cryptoml.inference.transforms.events.EventIds;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.metrics.LatencyHistogram;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.DistributionResult;

/**
 * The periodic {@code inference_metrics} event: what happened between two metric snapshots (counts
 * and rates per timeframe, model and dead-letter reason; latency percentiles from the histogram
 * buckets; batch sizes; cache hits) and the latest gauges (resources, watermark and consumer lag).
 */
public final class InferenceMetricsEvent {
  private InferenceMetricsEvent() {}

  public static String of(MetricsSnapshot from, MetricsSnapshot to, Map<String, Long> consumerLag, EventJson.Envelope env) {
    double seconds = Math.max(0.001, (to.atMillis() - from.atMillis()) / 1000.0);
    String id = EventIds.nameBased("inference_metrics|" + env.environment() + "|" + to.atMillis()).toString();
    return EventJson.write(g -> {
      EventJson.envelope(g, id, to.atMillis(), env, "inference_metrics");
      g.writeStringField("interval_start", EventJson.iso(from.atMillis()));
      g.writeNumberField("interval_seconds", round(seconds));
      Map<String, Long> predictions = delta(from, to, InferenceMetrics.PREDICTIONS_TF);
      long total = predictions.values().stream().mapToLong(Long::longValue).sum();
      g.writeObjectFieldStart("predictions");
      predictions.forEach((tf, n) -> field(g, tf, n));
      g.writeEndObject();
      g.writeObjectFieldStart("throughput_per_second");
      predictions.forEach((tf, n) -> field(g, tf, round(n / seconds)));
      g.writeEndObject();
      g.writeObjectFieldStart("feature_events_in");
      delta(from, to, InferenceMetrics.FEATURE_EVENTS_IN).forEach((tf, n) -> field(g, tf, n));
      g.writeEndObject();
      g.writeObjectFieldStart("predictions_by_model");
      delta(from, to, InferenceMetrics.PREDICTIONS_OUT).forEach((m, n) -> field(g, m, n));
      g.writeEndObject();
      Map<String, Long> dead = delta(from, to, InferenceMetrics.DEAD_LETTERS);
      long deadTotal = dead.values().stream().mapToLong(Long::longValue).sum();
      g.writeObjectFieldStart("dead_letters");
      dead.forEach((reason, n) -> field(g, reason, n));
      g.writeEndObject();
      g.writeNumberField("error_rate", total + deadTotal == 0 ? 0 : round(deadTotal / (double) (total + deadTotal)));
      g.writeObjectFieldStart("latency_ms");
      latency(g, "event_to_publish", from, to, InferenceMetrics.EVENT_TO_PUBLISH);
      latency(g, "arrival_to_publish", from, to, InferenceMetrics.ARRIVAL_TO_PUBLISH);
      latency(g, "event_delay", from, to, InferenceMetrics.EVENT_DELAY);
      g.writeEndObject();
      DistributionResult calls = deltaDistribution(from, to, InferenceMetrics.BATCH_LATENCY);
      DistributionResult sizes = deltaDistribution(from, to, InferenceMetrics.BATCH_SIZE);
      g.writeNumberField("model_calls", calls.getCount());
      g.writeNumberField("model_call_mean_ms", calls.getCount() == 0 ? 0 : round(calls.getSum() / 1000.0 / calls.getCount()));
      g.writeNumberField("batch_size_mean", sizes.getCount() == 0 ? 0 : round(sizes.getSum() / (double) sizes.getCount()));
      long hits = to.counter(InferenceMetrics.CACHE_HITS) - from.counter(InferenceMetrics.CACHE_HITS);
      long misses = to.counter(InferenceMetrics.CACHE_MISSES) - from.counter(InferenceMetrics.CACHE_MISSES);
      g.writeObjectFieldStart("model_cache");
      g.writeNumberField("hits", hits);
      g.writeNumberField("misses", misses);
      g.writeNumberField("hit_rate", hits + misses == 0 ? 0 : round(hits / (double) (hits + misses)));
      g.writeNumberField("models_loaded", to.gauges().getOrDefault(InferenceMetrics.MODELS_LOADED, 0L));
      g.writeEndObject();
      g.writeObjectFieldStart("resources");
      g.writeNumberField("heap_used_bytes", to.gauges().getOrDefault(InferenceMetrics.HEAP_USED, 0L));
      g.writeNumberField("heap_max_bytes", to.gauges().getOrDefault(InferenceMetrics.HEAP_MAX, 0L));
      g.writeNumberField("cpu_load", to.gauges().getOrDefault(InferenceMetrics.CPU_LOAD, 0L) / 1000.0);
      g.writeNumberField("predictions_in_flight", to.gauges().getOrDefault(InferenceMetrics.IN_FLIGHT, 0L));
      g.writeEndObject();
      if (to.gauges().containsKey(InferenceMetrics.WATERMARK_LAG)) {
        g.writeNumberField("watermark_lag_ms", to.gauges().get(InferenceMetrics.WATERMARK_LAG));
      }
      g.writeNumberField("consumer_lag", consumerLag.values().stream().mapToLong(Long::longValue).sum());
      g.writeObjectFieldStart("history");
      g.writeNumberField("bars_ready_on_arrival", to.counter(InferenceMetrics.BARS_READY_ON_ARRIVAL) - from.counter(InferenceMetrics.BARS_READY_ON_ARRIVAL));
      g.writeNumberField("bars_ready_on_timer", to.counter(InferenceMetrics.BARS_READY_ON_TIMER) - from.counter(InferenceMetrics.BARS_READY_ON_TIMER));
      g.writeEndObject();
    });
  }

  static Map<String, Long> delta(MetricsSnapshot from, MetricsSnapshot to, String prefix) {
    Map<String, Long> before = from.countersByLabel(prefix);
    Map<String, Long> out = new TreeMap<>();
    to.countersByLabel(prefix).forEach((label, n) -> {
      long d = n - before.getOrDefault(label, 0L);
      if (d != 0) {
        out.put(label, d);
      }
    });
    return out;
  }

  static DistributionResult deltaDistribution(MetricsSnapshot from, MetricsSnapshot to, String name) {
    DistributionResult a = from.distributions().getOrDefault(name, DistributionResult.IDENTITY_ELEMENT);
    DistributionResult b = to.distributions().getOrDefault(name, DistributionResult.IDENTITY_ELEMENT);
    return DistributionResult.create(b.getSum() - a.getSum(), b.getCount() - a.getCount(), b.getMin(), b.getMax());
  }

  /** p50, p95 and p99 of the interval from the bucket counters' deltas (bucket upper bounds). */
  private static void latency(JsonGenerator g, String field, MetricsSnapshot from, MetricsSnapshot to, String name) throws IOException {
    long[] counts = new long[LatencyHistogram.BOUNDS.size() + 1];
    long n = 0;
    for (int i = 0; i < counts.length; i++) {
      String bucket = name + LatencyHistogram.BUCKET + (i < LatencyHistogram.BOUNDS.size() ? LatencyHistogram.BOUNDS.get(i) : LatencyHistogram.INF);
      counts[i] = to.counter(bucket) - from.counter(bucket);
      n += counts[i];
    }
    if (n == 0) {
      return;
    }
    DistributionResult d = deltaDistribution(from, to, name);
    g.writeObjectFieldStart(field);
    g.writeNumberField("count", n);
    g.writeNumberField("mean", d.getCount() == 0 ? 0 : round(d.getSum() / (double) d.getCount()));
    g.writeNumberField("p50_at_most", LatencyHistogram.quantile(counts, 0.50));
    g.writeNumberField("p95_at_most", LatencyHistogram.quantile(counts, 0.95));
    g.writeNumberField("p99_at_most", LatencyHistogram.quantile(counts, 0.99));
    g.writeEndObject();
  }

  private static void field(JsonGenerator g, String name, double v) {
    try {
      if (v == Math.rint(v)) {
        g.writeNumberField(name, (long) v);
      } else {
        g.writeNumberField(name, v);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
