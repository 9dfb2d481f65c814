package com.cryptoml.inference.testdata;

/**
 * Training labels from the future of a bar series, per model family. Class indices are 0 = short
 * (-1), 1 = neutral (0), 2 = long (1), matching the output labels [-1, 0, 1]; -1 means no label
 * (too close to the end of the series).
 */
final class Labels {
  private Labels() {}

  /** Directional and pattern models: the forward return over the horizon against the volatility. */
  static int direction(BarSeries s, double[][] features, int t, int horizon) {
    if (t + horizon >= s.size() || Double.isNaN(features[t][3])) {
      return -1;
    }
    double forward = Math.log(s.close[t + horizon] / s.close[t]);
    double threshold = 0.5 * features[t][3] * Math.sqrt(horizon);
    return forward > threshold ? 2 : forward < -threshold ? 0 : 1;
  }

  /**
   * Swing points: a bar whose high is not exceeded over the next {@code horizon} bars is a swing
   * high (short); one whose low holds is a swing low (long); both or neither is neutral.
   */
  static int swing(BarSeries s, int t, int horizon) {
    if (t + horizon >= s.size()) {
      return -1;
    }
    boolean swingHigh = true;
    boolean swingLow = true;
    for (int j = t + 1; j <= t + horizon; j++) {
      swingHigh &= s.high[j] < s.high[t];
      swingLow &= s.low[j] > s.low[t];
    }
    return swingHigh == swingLow ? 1 : swingHigh ? 0 : 2;
  }

  /** Volatility: 1 when realised volatility over the horizon exceeds the trailing rv_24. */
  static int volatilityExpansion(BarSeries s, double[][] features, int t, int horizon) {
    if (t + horizon >= s.size() || Double.isNaN(features[t][3])) {
      return -1;
    }
    double sum = 0;
    for (int j = t + 1; j <= t + horizon; j++) {
      double r = Math.log(s.close[j] / s.close[j - 1]);
      sum += r * r;
    }
    return Math.sqrt(sum / horizon) > features[t][3] ? 1 : 0;
  }
}
