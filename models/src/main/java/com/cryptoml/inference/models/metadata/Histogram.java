package com.cryptoml.inference.models.metadata;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A feature's training distribution: {@code edges.length - 1} bins with the fraction of training rows
 * in each. Values below the first or above the last edge count in the first or last bin.
 */
public record Histogram(double[] edges, double[] fractions) implements Serializable {
  public Histogram {
    if (edges.length < 2 || fractions.length != edges.length - 1) {
      throw new IllegalArgumentException("need n+1 edges for n fractions (n >= 1)");
    }
    for (int i = 1; i < edges.length; i++) {
      if (!(edges[i] > edges[i - 1])) {
        throw new IllegalArgumentException("edges must be strictly increasing");
      }
    }
    double sum = 0;
    for (double f : fractions) {
      if (!(f >= 0) || !Double.isFinite(f)) {
        throw new IllegalArgumentException("fractions must be finite and >= 0");
      }
      sum += f;
    }
    if (Math.abs(sum - 1.0) > 1e-3) {
      throw new IllegalArgumentException("fractions must sum to 1, got " + sum);
    }
    edges = edges.clone();
    fractions = fractions.clone();
  }

  public int bins() {
    return fractions.length;
  }

  /** Index of the bin that holds {@code value}. */
  public int binOf(double value) {
    int pos = Arrays.binarySearch(edges, value);
    int bin = pos >= 0 ? pos : -pos - 2;
    return Math.max(0, Math.min(bins() - 1, bin));
  }

  @Override
  public double[] edges() {
    return edges.clone();
  }

  @Override
  public double[] fractions() {
    return fractions.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h
        && Arrays.equals(edges, h.edges)
        && Arrays.equals(fractions, h.fractions);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(edges) + Arrays.hashCode(fractions);
  }
}
