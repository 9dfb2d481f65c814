package com.cryptoml.inference.transforms.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What to do with a feature value a bar does not carry. */
public enum ImputationPolicy {
  /** The key's last value within reach, else the training mean (0 after z-scoring). The default. */
  FORWARD_FILL_THEN_MEAN,
  /** The key's last value within reach, else skip the model for this bar (dead letter). */
  FORWARD_FILL,
  /** Always the training mean. */
  MEAN,
  /** Never impute: skip the model for this bar (dead letter). */
  SKIP;

  public boolean forwardFills() {
    return this == FORWARD_FILL_THEN_MEAN || this == FORWARD_FILL;
  }

  public boolean usesMean() {
    return this == FORWARD_FILL_THEN_MEAN || this == MEAN;
  }

  /** As the configuration writes it: {@code forward_fill_then_mean}. */
  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ImputationPolicy of(String code) {
    try {
      return valueOf(code.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + code + "' is not forward_fill_then_mean, forward_fill, mean or skip");
    }
  }

  @Override
  public String toString() {
    return code();
  }
}
