package com.cryptoml.inference.models.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The bar timeframes the platform serves. Each has its bar length (the event-time window), how
 * late a bar may still arrive and be used, and the default feature topic it is read from.
 */
public enum Timeframe {
  M1("1m", Duration.ofMinutes(1)),
  M5("5m", Duration.ofMinutes(5)),
  M15("15m", Duration.ofMinutes(15)),
  H1("1h", Duration.ofHours(1)),
  H4("4h", Duration.ofHours(4)),
  D1("1d", Duration.ofDays(1));

  private final String code;
  private final Duration barLength;
  private final Duration allowedLateness;

  Timeframe(String code, Duration barLength) {
    this.code = code;
    this.barLength = barLength;
    this.allowedLateness = barLength.dividedBy(2);
  }

  /** The wire name: {@code 1m}, {@code 5m}, ... {@code 1d}. */
  @JsonValue
  public String code() {
    return code;
  }

  /** Length of one bar, which is also the fixed event-time window of this timeframe. */
  public Duration barLength() {
    return barLength;
  }

  /**
   * Half a bar. A bar may arrive out of order up to this long after the watermark passed its close
   * and still land in its place; after that it is dead-lettered as late, and a bar that has not
   * arrived by then counts as missing (a gap). Shorter than a bar, so a live gap delays nothing.
   */
  public Duration allowedLateness() {
    return allowedLateness;
  }

  public static Optional<Timeframe> fromCode(String code) {
    return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
  }

  @JsonCreator
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
