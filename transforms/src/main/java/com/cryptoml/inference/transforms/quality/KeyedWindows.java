package com.cryptoml.inference.transforms.quality;

import java.util.Collection;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event-time windows for the quality transforms, two ways. A stream uses Beam windows (this transform):
 * results come out as the watermark closes each window. A backfill writes the window into the key
 * instead ({@link #SEPARATOR}, {@link #window}) and groups in the global window: its input is
 * complete, and part of it (predictions re-timestamped to their bar after a grouping, bars released by
 * history timers) can trail the watermark, which Beam windows would drop as late.
 */
final class KeyedWindows<V> extends PTransform<PCollection<KV<String, V>>, PCollection<KV<String, V>>> {
  static final char SEPARATOR = '#';
  private final NonMergingWindowFn<KV<String, V>, IntervalWindow> windowFn;

  KeyedWindows(NonMergingWindowFn<KV<String, V>, IntervalWindow> windowFn) {
    this.windowFn = windowFn;
  }

  /**
   * Windows that fire once, at their end, and drop what comes later. The default trigger with no
   * allowed lateness does that, as {@code AfterWatermark.pastEndOfWindow()} would, and only under it
   * does the Direct runner combine per bundle before the group by key ({@code MultiStepCombine})
   * instead of keeping every element in state.
   */
  static <T> Window<T> firingOnceAtTheEnd(NonMergingWindowFn<? super T, ?> windowFn) {
    return Window.<T>into(windowFn).triggering(DefaultTrigger.of()).withAllowedLateness(Duration.ZERO).discardingFiredPanes();
  }

  @Override
  public PCollection<KV<String, V>> expand(PCollection<KV<String, V>> in) {
    return in.apply("Window", firingOnceAtTheEnd(windowFn));
  }

  static <T> Collection<IntervalWindow> assign(NonMergingWindowFn<T, IntervalWindow> fn, T element, Instant t)
      throws Exception {
    return fn.assignWindows(fn.new AssignContext() {
      @Override
      public T element() {
        return element;
      }

      @Override
      public Instant timestamp() {
        return t;
      }

      @Override
      public BoundedWindow window() {
        return GlobalWindow.INSTANCE;
      }
    });
  }

  /** The key as it was before windowing. */
  static String baseKey(String key) {
    int i = key.indexOf(SEPARATOR);
    return i < 0 ? key : key.substring(0, i);
  }

  /** The window a grouped key belongs to: from the key when it carries one, else the Beam window. */
  static IntervalWindow window(String key, BoundedWindow window) {
    int i = key.indexOf(SEPARATOR);
    if (i < 0) {
      return (IntervalWindow) window;
    }
    int j = key.indexOf(SEPARATOR, i + 1);
    return new IntervalWindow(new Instant(Long.parseLong(key.substring(i + 1, j))), new Instant(Long.parseLong(key.substring(j + 1))));
  }
}
