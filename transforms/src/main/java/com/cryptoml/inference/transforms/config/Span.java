package com.cryptoml.inference.transforms.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as the configuration writes it: a whole number and a unit, {@code 100ms}, {@code 30s},
 * {@code 15m}, {@code 1h}, {@code 7d}. Kept as written, so {@code ./inference config} shows what was given.
 */
public final class Span implements Serializable {
  private static final Pattern FORMAT = Pattern.compile("^([0-9]{1,9})(ms|s|m|h|d)$");

  private final String text;
  private final long millis;

  private Span(String text, long millis) {
    this.text = text;
    this.millis = millis;
  }

  /** Reads {@code 7d}; anything else is refused with what a duration looks like. */
  @JsonCreator
  public static Span parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (a number followed by ms, s, m, h or d, e.g. 7d)");
    }
    long n = Long.parseLong(m.group(1));
    long millis = switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1000L;
      case "m" -> n * 60_000L;
      case "h" -> n * 3_600_000L;
      default -> n * 86_400_000L;
    };
    return new Span(m.group(0), millis);
  }

  public static Span of(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms > 0) {
      return parse(ms / 86_400_000L + "d");
    }
    if (ms % 3_600_000L == 0 && ms > 0) {
      return parse(ms / 3_600_000L + "h");
    }
    if (ms % 60_000L == 0 && ms > 0) {
      return parse(ms / 60_000L + "m");
    }
    if (ms % 1000L == 0 && ms > 0) {
      return parse(ms / 1000L + "s");
    }
    return parse(ms + "ms");
  }

  public Duration duration() {
    return Duration.ofMillis(millis);
  }

  public long toMillis() {
    return millis;
  }

  @JsonValue
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Span s && s.millis == millis;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(millis);
  }
}
