package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.transforms.config.ReferenceClock;
import java.io.Serializable;

/**
 * The latest bar time a source may take as event time: the reference clock's now plus the future skew
 * validation allows. A payload claiming a later time (a producer's clock off by a day, a typo in the
 * year) is dead-lettered by validation; it must not move the watermark first, or every valid bar
 * after it would be late.
 */
public final class BarTimeLimit implements Serializable {
  private final ReferenceClock clock;
  private final long skewMillis;

  private BarTimeLimit(ReferenceClock clock, long skewMillis) {
    this.clock = clock;
    this.skewMillis = skewMillis;
  }

  public static BarTimeLimit of(ReferenceClock clock, java.time.Duration skew) {
    return new BarTimeLimit(clock, skew.toMillis());
  }

  /** No limit (a reference clock of {@code none}: replays judged by nothing but event time). */
  public static BarTimeLimit none() {
    return new BarTimeLimit(ReferenceClock.none(), 0);
  }

  /** Whether a bar time may be used as event time. */
  public boolean allows(long barMillis) {
    return !clock.enabled() || barMillis <= clock.nowMillis() + skewMillis;
  }
}
