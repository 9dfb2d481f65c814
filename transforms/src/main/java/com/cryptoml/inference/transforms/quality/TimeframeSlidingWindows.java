package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.Timeframe;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.joda.time.Instant;

/**
 * Sliding event-time windows measured in bars of each element's own timeframe: {@code sizeBars} long,
 * starting every {@code periodBars}. One transform then windows 1m and 1d models alike (200 minutes
 * for one, 200 days for the other) instead of one branch per timeframe.
 */
public final class TimeframeSlidingWindows<T> extends NonMergingWindowFn<T, IntervalWindow> {
  private final SerializableFunction<T, String> timeframeOf;
  private final int sizeBars;
  private final int periodBars;

  public TimeframeSlidingWindows(SerializableFunction<T, String> timeframeOf, int sizeBars, int periodBars) {
    if (sizeBars < 1 || periodBars < 1 || periodBars > sizeBars) {
      throw new IllegalArgumentException("need 1 <= periodBars <= sizeBars, got " + periodBars + " and " + sizeBars);
    }
    this.timeframeOf = timeframeOf;
    this.sizeBars = sizeBars;
    this.periodBars = periodBars;
  }

  @Override
  public Collection<IntervalWindow> assignWindows(AssignContext c) {
    long bar = Timeframe.of(timeframeOf.apply(c.element())).barLength().toMillis();
    long size = sizeBars * bar;
    long period = periodBars * bar;
    long t = c.timestamp().getMillis();
    List<IntervalWindow> windows = new ArrayList<>(sizeBars / periodBars + 1);
    for (long start = t - Math.floorMod(t, period); start > t - size; start -= period) {
      windows.add(new IntervalWindow(new Instant(start), new Instant(start + size)));
    }
    return windows;
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return equals(other);
  }

  @Override
  public Coder<IntervalWindow> windowCoder() {
    return IntervalWindow.getCoder();
  }

  @Override
  public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException("TimeframeSlidingWindows cannot window a side input");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeframeSlidingWindows<?> w && w.sizeBars == sizeBars && w.periodBars == periodBars
        && w.timeframeOf.equals(timeframeOf);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sizeBars, periodBars);
  }
}
