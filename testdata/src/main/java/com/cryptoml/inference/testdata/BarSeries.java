package com.cryptoml.inference.testdata;

import java.util.Arrays;

/** OHLCV bars of one symbol on one exchange and timeframe, in time order; times are bar close times. */
public final class BarSeries {
  final long[] closeMillis;
  final double[] open;
  final double[] high;
  final double[] low;
  final double[] close;
  final double[] volume;
  private int size;

  public BarSeries(int capacity) {
    closeMillis = new long[capacity];
    open = new double[capacity];
    high = new double[capacity];
    low = new double[capacity];
    close = new double[capacity];
    volume = new double[capacity];
  }

  void add(long closeTime, double o, double h, double l, double c, double v) {
    closeMillis[size] = closeTime;
    open[size] = o;
    high[size] = h;
    low[size] = l;
    close[size] = c;
    volume[size] = v;
    size++;
  }

  /** The bars from index {@code from} to the end, as a new series. */
  public BarSeries slice(int from) {
    int start = Math.max(0, from);
    BarSeries out = new BarSeries(size - start);
    for (int i = start; i < size; i++) {
      out.add(closeMillis[i], open[i], high[i], low[i], close[i], volume[i]);
    }
    return out;
  }

  public int size() {
    return size;
  }

  public long closeMillis(int i) {
    return closeMillis[i];
  }

  public double close(int i) {
    return close[i];
  }

  /** First index whose close time is at or after {@code millis}. */
  public int indexAtOrAfter(long millis) {
    int pos = Arrays.binarySearch(closeMillis, 0, size, millis);
    return pos >= 0 ? pos : -pos - 1;
  }

  /**
   * Aggregates consecutive bars into bars of {@code barMillis}, aligned to the epoch. A bar exists
   * when at least one source bar fell into it, so exchange outages leave gaps.
   */
  public BarSeries aggregate(long barMillis, long sourceBarMillis) {
    long span = size == 0 ? 0 : closeMillis[size - 1] - closeMillis[0] + sourceBarMillis;
    BarSeries out = new BarSeries((int) Math.min(size, span / barMillis + 2));
    int i = 0;
    while (i < size) {
      long openTime = closeMillis[i] - sourceBarMillis;
      long bucketClose = (Math.floorDiv(openTime, barMillis) + 1) * barMillis;
      double o = open[i];
      double h = high[i];
      double l = low[i];
      double c = close[i];
      double v = 0;
      while (i < size && closeMillis[i] <= bucketClose) {
        h = Math.max(h, high[i]);
        l = Math.min(l, low[i]);
        c = close[i];
        v += volume[i];
        i++;
      }
      out.add(bucketClose, o, h, l, c, v);
    }
    return out;
  }
}
