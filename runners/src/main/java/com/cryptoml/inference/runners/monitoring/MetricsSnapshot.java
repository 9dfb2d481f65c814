package com.cryptoml.inference.runners.monitoring;

import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The inference namespace's Beam metrics at one moment, summed over the steps that report them
 * (attempted values: what a running pipeline has done so far). Gauges keep the newest value.
 */
public record MetricsSnapshot(long atMillis, Map<String, Long> counters, Map<String, DistributionResult> distributions,
    Map<String, Long> gauges) {

  public static MetricsSnapshot empty(long atMillis) {
    return new MetricsSnapshot(atMillis, Map.of(), Map.of(), Map.of());
  }

  public static MetricsSnapshot of(PipelineResult result) {
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(InferenceMetrics.NAMESPACE)).build());
    return of(q, System.currentTimeMillis());
  }

  public static MetricsSnapshot of(MetricQueryResults q, long atMillis) {
    Map<String, Long> counters = new HashMap<>();
    for (MetricResult<Long> r : q.getCounters()) {
      counters.merge(r.getName().getName(), r.getAttempted(), Long::sum);
    }
    Map<String, DistributionResult> distributions = new HashMap<>();
    for (MetricResult<DistributionResult> r : q.getDistributions()) {
      distributions.merge(r.getName().getName(), r.getAttempted(), (a, b) -> DistributionResult.create(
          a.getSum() + b.getSum(), a.getCount() + b.getCount(), Math.min(a.getMin(), b.getMin()), Math.max(a.getMax(), b.getMax())));
    }
    Map<String, Long> gauges = new HashMap<>();
    Map<String, org.joda.time.Instant> gaugeTimes = new HashMap<>();
    for (MetricResult<GaugeResult> r : q.getGauges()) {
      String name = r.getName().getName();
      GaugeResult g = r.getAttempted();
      if (!gaugeTimes.containsKey(name) || g.getTimestamp().isAfter(gaugeTimes.get(name))) {
        gauges.put(name, g.getValue());
        gaugeTimes.put(name, g.getTimestamp());
      }
    }
    return new MetricsSnapshot(atMillis, counters, distributions, gauges);
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  /** Sum of the counters whose name starts with {@code prefix}, by the rest of the name. */
  public Map<String, Long> countersByLabel(String prefix) {
    Map<String, Long> out = new HashMap<>();
    counters.forEach((name, v) -> {
      if (name.startsWith(prefix) && name.length() > prefix.length() && !name.contains("_bucket_")) {
        out.merge(name.substring(prefix.length()), v, Long::sum);
      }
    });
    return out;
  }
}
