package com.cryptoml.inference.models.metadata;

/**
 * What one model output row means to a trader: 1 long, -1 short, 0 neutral, and the confidence of
 * that call in [0, 1].
 */
public record Decision(int prediction, double confidence) {
  public Decision {
    if (prediction < -1 || prediction > 1) {
      throw new IllegalArgumentException("prediction must be -1, 0 or 1");
    }
  }
}
