package com.cryptoml.inference.models.metadata;

import java.io.Serializable;
import java.util.List;

/**
 * How to read a model's output tensor.
 *
 * <ul>
 *   <li>{@link Kind#CLASS_PROBABILITIES}: one probability per label ({@code labels} lists the
 *       prediction each column stands for, e.g. [-1, 0, 1]); the prediction is the most probable
 *       label and the confidence its probability. Ties go to the earlier column.
 *   <li>{@link Kind#SCALAR}: one score s in [0, 1] (the probability of an up move); s >=
 *       {@code longThreshold} is long with confidence s, s <= {@code shortThreshold} is short with
 *       confidence 1 - s, anything between is neutral with confidence 1 - |2s - 1|.
 * </ul>
 */
public record OutputSpec(Kind kind, String tensor, List<Integer> labels, double longThreshold, double shortThreshold)
    implements Serializable {

  /** The two output kinds the platform understands. */
  public enum Kind {
    CLASS_PROBABILITIES("class_probabilities"),
    SCALAR("scalar");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static Kind fromCode(String code) {
      for (Kind k : values()) {
        if (k.code.equals(code)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown output kind '" + code + "' (class_probabilities, scalar)");
    }
  }

  public OutputSpec {
    labels = List.copyOf(labels);
    if (kind == Kind.CLASS_PROBABILITIES) {
      if (labels.size() < 2) {
        throw new IllegalArgumentException("class_probabilities needs at least two labels");
      }
      for (int label : labels) {
        if (label < -1 || label > 1) {
          throw new IllegalArgumentException("labels must be -1, 0 or 1, got " + label);
        }
      }
    } else if (!(shortThreshold < longThreshold) || shortThreshold < 0 || longThreshold > 1) {
      throw new IllegalArgumentException("scalar output needs 0 <= short_threshold < long_threshold <= 1");
    }
  }

  public static OutputSpec classProbabilities(String tensor, List<Integer> labels) {
    return new OutputSpec(Kind.CLASS_PROBABILITIES, tensor, labels, 0, 0);
  }

  public static OutputSpec scalar(String tensor, double longThreshold, double shortThreshold) {
    return new OutputSpec(Kind.SCALAR, tensor, List.of(), longThreshold, shortThreshold);
  }

  /** Width of one output row. */
  public int width() {
    return kind == Kind.CLASS_PROBABILITIES ? labels.size() : 1;
  }

  /** Decodes row {@code row} of a row-major output buffer of {@link #width()} columns. */
  public Decision decode(float[] outputs, int row) {
    int base = row * width();
    if (kind == Kind.CLASS_PROBABILITIES) {
      int best = 0;
      for (int j = 1; j < labels.size(); j++) {
        if (outputs[base + j] > outputs[base + best]) {
          best = j;
        }
      }
      return new Decision(labels.get(best), clamp(outputs[base + best]));
    }
    double s = clamp(outputs[base]);
    if (s >= longThreshold) {
      return new Decision(1, s);
    }
    if (s <= shortThreshold) {
      return new Decision(-1, 1 - s);
    }
    return new Decision(0, 1 - Math.abs(2 * s - 1));
  }

  private static double clamp(double v) {
    if (Double.isNaN(v)) {
      throw new ArithmeticException("model produced NaN");
    }
    return Math.max(0, Math.min(1, v));
  }
}
