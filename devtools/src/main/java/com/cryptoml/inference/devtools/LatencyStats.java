package com.cryptoml.inference.devtools;

import java.util.Arrays;

/** Latency samples in milliseconds; percentiles over what was recorded. */
public final class LatencyStats {
  private double[] samples = new double[1024];
  private int size;

  public synchronized void add(double ms) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = ms;
  }

  public synchronized int count() {
    return size;
  }

  /** The p-th percentile (0..100), nearest rank; NaN when empty. */
  public synchronized double percentile(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, rank))];
  }
}
