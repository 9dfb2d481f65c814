package com.cryptoml.inference.runners;

import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads the inference metrics of a running pipeline (attempted values: the Direct runner's live view). */
final class Metrics {
  private Metrics() {}

  static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> r : query(result, name).getCounters()) {
      total += r.getAttempted();
    }
    return total;
  }

  static DistributionResult distribution(PipelineResult result, String name) {
    for (MetricResult<DistributionResult> r : query(result, name).getDistributions()) {
      return r.getAttempted();
    }
    return DistributionResult.IDENTITY_ELEMENT;
  }

  private static MetricQueryResults query(PipelineResult result, String name) {
    return result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(InferenceMetrics.NAMESPACE, name)).build());
  }
}
