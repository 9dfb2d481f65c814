package com.cryptoml.inference.testdata;

import java.util.List;

/**
 * The feature platform's features, computed from a bar series the way a feature platform would:
 * only from bars up to and including the current one. A feature is missing (NaN, null on the wire)
 * until its window has enough bars.
 */
public final class Features {
  public static final List<String> NAMES = List.of(
      "ret_1", "ret_4", "ret_12", "rv_24", "rsi_14", "vol_z_24", "dist_high_24", "dist_low_24", "atr_14");

  private Features() {}

  /** Returns [bar][feature] in {@link #NAMES} order, NaN where the window is incomplete. */
  public static double[][] compute(BarSeries s) {
    int n = s.size();
    double[][] f = new double[n][NAMES.size()];
    double[] ret = new double[n];
    for (int i = 0; i < n; i++) {
      ret[i] = i == 0 ? Double.NaN : Math.log(s.close[i] / s.close[i - 1]);
    }
    for (int i = 0; i < n; i++) {
      double[] row = f[i];
      row[0] = ret[i];
      row[1] = i >= 4 ? Math.log(s.close[i] / s.close[i - 4]) : Double.NaN;
      row[2] = i >= 12 ? Math.log(s.close[i] / s.close[i - 12]) : Double.NaN;
      row[3] = i >= 24 ? std(ret, i - 23, i) : Double.NaN;
      row[4] = i >= 14 ? rsi(ret, i - 13, i) : Double.NaN;
      row[5] = i >= 24 ? zScore(s.volume, i - 23, i) : Double.NaN;
      if (i >= 23) {
        double hi = Double.NEGATIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        for (int j = i - 23; j <= i; j++) {
          hi = Math.max(hi, s.high[j]);
          lo = Math.min(lo, s.low[j]);
        }
        row[6] = s.close[i] / hi - 1;
        row[7] = s.close[i] / lo - 1;
      } else {
        row[6] = Double.NaN;
        row[7] = Double.NaN;
      }
      row[8] = i >= 14 ? atr(s, i - 13, i) / s.close[i] : Double.NaN;
    }
    return f;
  }

  private static double std(double[] x, int from, int to) {
    double mean = 0;
    int n = to - from + 1;
    for (int i = from; i <= to; i++) {
      mean += x[i];
    }
    mean /= n;
    double var = 0;
    for (int i = from; i <= to; i++) {
      var += (x[i] - mean) * (x[i] - mean);
    }
    return Math.sqrt(var / (n - 1));
  }

  private static double zScore(double[] x, int from, int to) {
    double s = std(x, from, to);
    double mean = 0;
    for (int i = from; i <= to; i++) {
      mean += x[i];
    }
    mean /= (to - from + 1);
    return s == 0 ? 0 : (x[to] - mean) / s;
  }

  private static double rsi(double[] ret, int from, int to) {
    double up = 0;
    double down = 0;
    for (int i = from; i <= to; i++) {
      if (ret[i] > 0) {
        up += ret[i];
      } else {
        down -= ret[i];
      }
    }
    return up + down == 0 ? 50 : 100 * up / (up + down);
  }

  private static double atr(BarSeries s, int from, int to) {
    double sum = 0;
    for (int i = from; i <= to; i++) {
      double prevClose = i > 0 ? s.close[i - 1] : s.open[i];
      sum += Math.max(s.high[i] - s.low[i], Math.max(Math.abs(s.high[i] - prevClose), Math.abs(s.low[i] - prevClose)));
    }
    return sum / (to - from + 1);
  }
}
