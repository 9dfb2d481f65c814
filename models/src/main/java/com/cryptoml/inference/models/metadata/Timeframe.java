package com.cryptoml.inference.models.metadata;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The bar timeframes the platform serves. Each has its bar length (the event-time window), how
 * late a bar may still arrive and be used, and the default feature topic it is read from.
 */
public enum Timeframe {
  M1("1m", Duration.ofMinutes(1), Duration.ofMinutes(2)),
  M5("5m", Duration.ofMinutes(5), Duration.ofMinutes(10)),
  M15("15m", Duration.ofMinutes(15), Duration.ofMinutes(30)),
  H1("1h", Duration.ofHours(1), Duration.ofHours(2)),
  H4("4h", Duration.ofHours(4), Duration.ofHours(8)),
  D1("1d", Duration.ofDays(1), Duration.ofDays(2));

  private final String code;
  private final Duration barLength;
  private final Duration allowedLateness;

  Timeframe(String code, Duration barLength, Duration allowedLateness) {
    this.code = code;
    this.barLength = barLength;
    this.allowedLateness = allowedLateness;
  }

  /** The wire name: {@code 1m}, {@code 5m}, ... {@code 1d}. */
  public String code() {
    return code;
  }

  /** Length of one bar, which is also the fixed event-time window of this timeframe. */
  public Duration barLength() {
    return barLength;
  }

  /** Two bars: a bar that arrives later than that after its close is dead-lettered as late. */
  public Duration allowedLateness() {
    return allowedLateness;
  }

  public String defaultTopic() {
    return "features." + code;
  }

  public static Optional<Timeframe> fromCode(String code) {
    return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
  }

  public static Timeframe of(String code) {
    return fromCode(code)
        .orElseThrow(
            () -> new IllegalArgumentException(
                "unknown timeframe '" + code + "' (known: 1m, 5m, 15m, 1h, 4h, 1d)"));
  }

  @Override
  public String toString() {
    return code;
  }
}
