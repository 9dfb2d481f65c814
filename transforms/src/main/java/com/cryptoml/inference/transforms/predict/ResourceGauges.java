package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.models.serving.ModelCache;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's resource use as Beam gauges (heap, process CPU, rows in model calls, models loaded),
 * sampled from the prediction path at most every {@link #PERIOD_MILLIS}: gauges keep the latest value,
 * and reading the MX beans per batch would cost more than the batch.
 */
final class ResourceGauges {
  static final long PERIOD_MILLIS = 5_000;
  private static final AtomicLong LAST = new AtomicLong();

  private ResourceGauges() {}

  static void maybeReport(ModelCache cache) {
    long now = System.currentTimeMillis();
    long last = LAST.get();
    if (now - last < PERIOD_MILLIS || !LAST.compareAndSet(last, now)) {
      return;
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    InferenceMetrics.gauge(InferenceMetrics.HEAP_USED).set(heap.getUsed());
    InferenceMetrics.gauge(InferenceMetrics.HEAP_MAX).set(heap.getMax());
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      if (load >= 0) {
        InferenceMetrics.gauge(InferenceMetrics.CPU_LOAD).set(Math.round(load * 1000));
      }
    }
    InferenceMetrics.gauge(InferenceMetrics.IN_FLIGHT).set(PredictionRunner.inFlight());
    InferenceMetrics.gauge(InferenceMetrics.MODELS_LOADED).set(cache.stats().size());
  }
}
