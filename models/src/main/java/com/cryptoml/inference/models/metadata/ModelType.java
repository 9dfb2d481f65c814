package com.cryptoml.inference.models.metadata;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The request's model families; used to key work and to pick resources per type. */
public enum ModelType {
  DIRECTIONAL("directional"),
  VOLATILITY("volatility"),
  SWING_POINTS("swing_points"),
  PATTERN_COMPLETION("pattern_completion");

  private final String code;

  ModelType(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  public static Optional<ModelType> fromCode(String code) {
    return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
  }

  @Override
  public String toString() {
    return code;
  }
}
