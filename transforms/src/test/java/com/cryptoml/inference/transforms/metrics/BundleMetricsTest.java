package com.cryptoml.inference.transforms.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.Closeable;
import java.util.stream.StreamSupport;
import org.apache.beam.runners.core.metrics.DistributionData;
import org.apache.beam.runners.core.metrics.MetricUpdates;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.junit.jupiter.api.Test;

class BundleMetricsTest {
  private static MetricName name(String n) {
    return MetricName.named(InferenceMetrics.NAMESPACE, n);
  }

  /** Nothing reaches Beam's metrics before the flush; after it, the bundle's sums, as per-element updates would give. */
  @Test
  void aBundleIsAddedOnceWhenItFinishes() throws Exception {
    MetricsContainerImpl step = new MetricsContainerImpl("step");
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(step)) {
      BundleMetrics metrics = new BundleMetrics();
      for (int i = 0; i < 5; i++) {
        metrics.inc("bundle_test_rows");
        metrics.inc("bundle_test_evicted", 0);
        metrics.update("bundle_test_size", 10 + i);
      }
      metrics.inc("bundle_test_rows", 3);
      MetricUpdates before = step.getUpdates();
      assertFalse(before.counterUpdates().iterator().hasNext() || before.distributionUpdates().iterator().hasNext(),
          "nothing is reported per element");

      metrics.flush();
      assertEquals(8L, step.getCounter(name("bundle_test_rows")).getCumulative());
      assertEquals(DistributionData.create(60, 5, 10, 14), step.getDistribution(name("bundle_test_size")).getCumulative());
      assertFalse(StreamSupport.stream(step.getUpdates().counterUpdates().spliterator(), false)
          .anyMatch(u -> u.getKey().metricName().getName().equals("bundle_test_evicted")), "a zero increment is not a metric update");

      metrics.inc("bundle_test_rows");
      metrics.flush();
      metrics.flush(); // nothing new: adds nothing
      assertEquals(9L, step.getCounter(name("bundle_test_rows")).getCumulative());
    }
  }
}
