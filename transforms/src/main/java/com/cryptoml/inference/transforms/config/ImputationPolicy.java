package com.cryptoml.inference.transforms.config;

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
}
