package com.cryptoml.inference.models.metadata;

import java.io.Serializable;

/** Training mean and standard deviation of one feature: z = (x - mean) / std. */
public record FeatureStats(double mean, double std) implements Serializable {
  public FeatureStats {
    if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
      throw new IllegalArgumentException("mean must be finite and std finite and > 0");
    }
  }
}
