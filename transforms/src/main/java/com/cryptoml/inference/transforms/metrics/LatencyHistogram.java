package com.cryptoml.inference.transforms.metrics;

import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;

/**
 * A latency in milliseconds as Beam metrics: a distribution (count, sum, min, max) plus one counter per
 * bucket ({@code <name>_bucket_<upper bound>}, not cumulative), from which the Prometheus endpoint
 * renders a histogram and the metrics events estimate percentiles. Beam's distributions alone give no
 * percentiles.
 */
public final class LatencyHistogram {
  /** Upper bounds in milliseconds; larger values count in {@code _bucket_inf}. */
  public static final List<Long> BOUNDS = List.of(5L, 10L, 25L, 50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L,
      10_000L, 30_000L, 60_000L, 300_000L, 3_600_000L);
  public static final String BUCKET = "_bucket_";
  public static final String INF = "inf";

  private final Distribution distribution;
  private final Counter[] buckets = new Counter[BOUNDS.size() + 1];

  LatencyHistogram(String name) {
    distribution = InferenceMetrics.distribution(name);
    for (int i = 0; i < BOUNDS.size(); i++) {
      buckets[i] = InferenceMetrics.counter(name + BUCKET + BOUNDS.get(i));
    }
    buckets[BOUNDS.size()] = InferenceMetrics.counter(name + BUCKET + INF);
  }

  public void update(long millis) {
    long v = Math.max(0, millis);
    distribution.update(v);
    buckets[bucketOf(v)].inc();
  }

  static int bucketOf(long millis) {
    for (int i = 0; i < BOUNDS.size(); i++) {
      if (millis <= BOUNDS.get(i)) {
        return i;
      }
    }
    return BOUNDS.size();
  }

  /**
   * The {@code q} quantile from per-bucket counts (in {@link #BOUNDS} order, then overflow): the upper
   * bound of the bucket holding it, as Prometheus' histogram_quantile does without interpolation; -1
   * when there are no samples. Overflow reports the largest bound.
   */
  public static long quantile(long[] counts, double q) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return BOUNDS.get(Math.min(i, BOUNDS.size() - 1));
      }
    }
    return BOUNDS.get(BOUNDS.size() - 1);
  }
}
