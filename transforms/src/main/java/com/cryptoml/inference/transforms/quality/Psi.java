package com.cryptoml.inference.transforms.quality;

/**
 * Population stability index: {@code sum((a - e) * ln(a / e))} over bins, with expected shares
 * {@code e} and actual shares {@code a}. Empty bins are floored at {@link #FLOOR} so one empty bin does
 * not make the index infinite. Conventional reading: below 0.1 stable, 0.1 to 0.25 a moderate shift,
 * above 0.25 a major one.
 */
public final class Psi {
  static final double FLOOR = 1e-4;

  private Psi() {}

  public static double of(double[] expected, long[] actualCounts) {
    if (expected.length != actualCounts.length) {
      throw new IllegalArgumentException(expected.length + " expected bins, " + actualCounts.length + " actual");
    }
    long total = 0;
    for (long c : actualCounts) {
      total += c;
    }
    if (total == 0) {
      return 0;
    }
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max(FLOOR, expected[i]);
      double a = Math.max(FLOOR, actualCounts[i] / (double) total);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  /** PSI of one set of counts against another (e.g. the latest period against the rest of a window). */
  public static double of(long[] expectedCounts, long[] actualCounts) {
    long total = 0;
    for (long c : expectedCounts) {
      total += c;
    }
    double[] shares = new double[expectedCounts.length];
    for (int i = 0; i < shares.length; i++) {
      shares[i] = total == 0 ? 0 : expectedCounts[i] / (double) total;
    }
    return of(shares, actualCounts);
  }
}
