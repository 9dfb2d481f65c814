package com.cryptoml.inference.transforms.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.time.Instant;

/**
 * The "now" that feature ages are judged against. Live inference uses the wall clock; backfills and
 * replays of history use a fixed instant (the request's end) so that a rerun judges the same way, or
 * none at all.
 */
public final class ReferenceClock implements Serializable {
  private final Instant fixed;
  private final boolean enabled;

  private ReferenceClock(Instant fixed, boolean enabled) {
    this.fixed = fixed;
    this.enabled = enabled;
  }

  public static ReferenceClock wall() {
    return new ReferenceClock(null, true);
  }

  public static ReferenceClock fixed(Instant now) {
    return new ReferenceClock(now, true);
  }

  /** No age or future checks (history replays at an accelerated rate). */
  public static ReferenceClock none() {
    return new ReferenceClock(null, false);
  }

  /** {@code wall}, {@code none} or an ISO-8601 instant. */
  @JsonCreator
  public static ReferenceClock parse(String spec) {
    if (spec == null || spec.isBlank() || spec.equals("wall")) {
      return wall();
    }
    if (spec.equals("none")) {
      return none();
    }
    try {
      return fixed(Instant.parse(spec));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("'" + spec + "' is not wall, none or an ISO-8601 instant");
    }
  }

  public boolean enabled() {
    return enabled;
  }

  public long nowMillis() {
    return fixed != null ? fixed.toEpochMilli() : System.currentTimeMillis();
  }

  @JsonValue
  @Override
  public String toString() {
    return !enabled ? "none" : fixed == null ? "wall" : fixed.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReferenceClock c && c.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
