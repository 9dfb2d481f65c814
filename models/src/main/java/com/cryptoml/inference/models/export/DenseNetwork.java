package com.cryptoml.inference.models.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A feed-forward network of dense layers: what the test-data trainer produces and what
 * {@link SavedModelWriter} turns into a TensorFlow graph. Its {@link #forward} is the Java reference
 * that the TensorFlow runtime's outputs are checked against.
 */
public final class DenseNetwork {

  /** Activation applied after a layer's affine map. */
  public enum Activation {
    NONE,
    RELU,
    SOFTMAX,
    SIGMOID
  }

  /** One layer: {@code y = act(x W + b)}, W is [inputs][outputs]. */
  public record Layer(float[][] weights, float[] bias, Activation activation) {
    public Layer {
      Objects.requireNonNull(weights, "weights");
      Objects.requireNonNull(bias, "bias");
      Objects.requireNonNull(activation, "activation");
      if (weights.length == 0 || weights[0].length != bias.length) {
        throw new IllegalArgumentException("weights [in][out] must match bias [out]");
      }
      for (float[] row : weights) {
        if (row.length != bias.length) {
          throw new IllegalArgumentException("ragged weight matrix");
        }
      }
    }

    public int inputs() {
      return weights.length;
    }

    public int outputs() {
      return bias.length;
    }
  }

  private final List<Layer> layers;

  public DenseNetwork(List<Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
        throw new IllegalArgumentException("layer " + i + " input width does not match layer " + (i - 1));
      }
    }
    this.layers = List.copyOf(layers);
  }

  public List<Layer> layers() {
    return layers;
  }

  public int inputWidth() {
    return layers.get(0).inputs();
  }

  public int outputWidth() {
    return layers.get(layers.size() - 1).outputs();
  }

  /** Forward pass for one row, in float arithmetic like the TensorFlow kernels. */
  public float[] forward(float[] input) {
    if (input.length != inputWidth()) {
      throw new IllegalArgumentException("expected " + inputWidth() + " inputs, got " + input.length);
    }
    float[] x = input;
    for (Layer layer : layers) {
      float[] y = layer.bias().clone();
      for (int i = 0; i < layer.inputs(); i++) {
        float xi = x[i];
        float[] row = layer.weights()[i];
        for (int j = 0; j < y.length; j++) {
          y[j] += xi * row[j];
        }
      }
      x = activate(y, layer.activation());
    }
    return x;
  }

  static float[] activate(float[] y, Activation activation) {
    switch (activation) {
      case NONE:
        return y;
      case RELU:
        for (int j = 0; j < y.length; j++) {
          y[j] = Math.max(0f, y[j]);
        }
        return y;
      case SIGMOID:
        for (int j = 0; j < y.length; j++) {
          y[j] = (float) (1.0 / (1.0 + Math.exp(-y[j])));
        }
        return y;
      case SOFTMAX:
        float max = Float.NEGATIVE_INFINITY;
        for (float v : y) {
          max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[y.length];
        for (int j = 0; j < y.length; j++) {
          e[j] = Math.exp(y[j] - max);
          sum += e[j];
        }
        for (int j = 0; j < y.length; j++) {
          y[j] = (float) (e[j] / sum);
        }
        return y;
      default:
        throw new IllegalStateException(activation.name());
    }
  }

  /** Convenience builder used by trainers and tests. */
  public static final class Builder {
    private final List<Layer> layers = new ArrayList<>();

    public Builder add(float[][] weights, float[] bias, Activation activation) {
      layers.add(new Layer(weights, bias, activation));
      return this;
    }

    public DenseNetwork build() {
      return new DenseNetwork(layers);
    }
  }
}
