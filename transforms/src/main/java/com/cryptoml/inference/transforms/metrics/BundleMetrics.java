package com.cryptoml.inference.transforms.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * A DoFn's counter increments and distribution samples for the bundle in progress, added to the Beam
 * metrics of the same names once, when the bundle finishes ({@link #flush()} from
 * {@code @FinishBundle}). For steps that touch metrics on every element: a runner may collect a step's
 * metric updates after each element, and a bundle's sum is the same number for one update.
 */
public final class BundleMetrics {
  private final Map<String, long[]> counters = new HashMap<>();
  /** Name to {sum, count, min, max}. */
  private final Map<String, long[]> distributions = new HashMap<>();

  public void inc(String counter, long n) {
    if (n != 0) {
      counters.computeIfAbsent(counter, k -> new long[1])[0] += n;
    }
  }

  public void inc(String counter) {
    inc(counter, 1);
  }

  public void update(String distribution, long value) {
    long[] d = distributions.computeIfAbsent(distribution, k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
    d[0] += value;
    d[1]++;
    d[2] = Math.min(d[2], value);
    d[3] = Math.max(d[3], value);
  }

  /** Adds what the bundle counted to the Beam metrics and starts afresh. */
  public void flush() {
    counters.forEach((name, n) -> InferenceMetrics.counter(name).inc(n[0]));
    distributions.forEach((name, d) -> InferenceMetrics.distribution(name).update(d[0], d[1], d[2], d[3]));
    counters.clear();
    distributions.clear();
  }
}
