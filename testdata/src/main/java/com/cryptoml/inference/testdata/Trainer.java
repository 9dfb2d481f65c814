package com.cryptoml.inference.testdata;

import com.cryptoml.inference.models.export.DenseNetwork;
import com.cryptoml.inference.models.export.DenseNetwork.Activation;
import java.util.SplittableRandom;

/**
 * Trains the small networks the test data ships: softmax regression ({@code hidden = 0}), a
 * one-hidden-layer ReLU MLP, or either with a single sigmoid output for scalar models. Mini-batch
 * Adam with class-balanced cross-entropy and L2; seeded, so the same data gives the same weights.
 */
final class Trainer {
  private final int hidden;
  private final int outputs;
  private final boolean sigmoid;
  private final long seed;
  private int epochs = 12;
  private int batch = 256;
  private double learningRate = 0.01;
  private double l2 = 1e-4;

  /**
   * @param outputs number of classes (softmax), or 1 for a sigmoid score
   */
  Trainer(int hidden, int outputs, long seed) {
    this.hidden = hidden;
    this.outputs = outputs;
    this.sigmoid = outputs == 1;
    this.seed = seed;
  }

  /** y holds class indices (softmax) or 0/1 (sigmoid). */
  DenseNetwork train(float[][] x, int[] y) {
    int n = x.length;
    int in = x[0].length;
    SplittableRandom random = new SplittableRandom(seed);
    int firstOut = hidden > 0 ? hidden : outputs;
    double[][] w1 = init(in, firstOut, random);
    double[] b1 = new double[firstOut];
    double[][] w2 = hidden > 0 ? init(hidden, outputs, random) : null;
    double[] b2 = hidden > 0 ? new double[outputs] : null;

    int classes = sigmoid ? 2 : outputs;
    double[] classWeight = new double[classes];
    for (int label : y) {
      classWeight[label]++;
    }
    for (int c = 0; c < classes; c++) {
      classWeight[c] = classWeight[c] == 0 ? 0 : n / (classes * classWeight[c]);
    }

    Adam a1 = new Adam(in * firstOut + firstOut);
    Adam a2 = hidden > 0 ? new Adam(hidden * outputs + outputs) : null;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      for (int start = 0; start < n; start += batch) {
        int end = Math.min(n, start + batch);
        double[][] gw1 = new double[in][firstOut];
        double[] gb1 = new double[firstOut];
        double[][] gw2 = hidden > 0 ? new double[hidden][outputs] : null;
        double[] gb2 = hidden > 0 ? new double[outputs] : null;
        double scale = 1.0 / (end - start);
        for (int k = start; k < end; k++) {
          int i = order[k];
          double[] h = affine(x[i], w1, b1);
          double[] z;
          if (hidden > 0) {
            for (int j = 0; j < h.length; j++) {
              h[j] = Math.max(0, h[j]);
            }
            z = affine(h, w2, b2);
          } else {
            z = h;
          }
          double[] dz = outputGradient(z, y[i]);
          double weight = classWeight[y[i]] * scale;
          for (int j = 0; j < dz.length; j++) {
            dz[j] *= weight;
          }
          if (hidden > 0) {
            double[] dh = new double[hidden];
            for (int j = 0; j < hidden; j++) {
              for (int c = 0; c < outputs; c++) {
                gw2[j][c] += h[j] * dz[c];
                dh[j] += w2[j][c] * dz[c];
              }
              if (h[j] <= 0) {
                dh[j] = 0;
              }
            }
            for (int c = 0; c < outputs; c++) {
              gb2[c] += dz[c];
            }
            accumulate(x[i], dh, gw1, gb1);
          } else {
            accumulate(x[i], dz, gw1, gb1);
          }
        }
        a1.step(w1, b1, gw1, gb1);
        if (hidden > 0) {
          a2.step(w2, b2, gw2, gb2);
        }
      }
    }

    DenseNetwork.Builder net = new DenseNetwork.Builder();
    Activation last = sigmoid ? Activation.SIGMOID : Activation.SOFTMAX;
    if (hidden > 0) {
      net.add(toFloat(w1), toFloat(b1), Activation.RELU);
      net.add(toFloat(w2), toFloat(b2), last);
    } else {
      net.add(toFloat(w1), toFloat(b1), last);
    }
    return net.build();
  }

  private double[] outputGradient(double[] z, int label) {
    if (sigmoid) {
      double p = 1 / (1 + Math.exp(-z[0]));
      return new double[] {p - label};
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] p = new double[z.length];
    for (int j = 0; j < z.length; j++) {
      p[j] = Math.exp(z[j] - max);
      sum += p[j];
    }
    for (int j = 0; j < z.length; j++) {
      p[j] /= sum;
    }
    p[label] -= 1;
    return p;
  }

  private static double[] affine(float[] x, double[][] w, double[] b) {
    double[] out = b.clone();
    for (int i = 0; i < x.length; i++) {
      double xi = x[i];
      for (int j = 0; j < out.length; j++) {
        out[j] += xi * w[i][j];
      }
    }
    return out;
  }

  private static double[] affine(double[] x, double[][] w, double[] b) {
    double[] out = b.clone();
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < out.length; j++) {
        out[j] += x[i] * w[i][j];
      }
    }
    return out;
  }

  private static void accumulate(float[] x, double[] d, double[][] gw, double[] gb) {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < d.length; j++) {
        gw[i][j] += x[i] * d[j];
      }
    }
    for (int j = 0; j < d.length; j++) {
      gb[j] += d[j];
    }
  }

  private static double[][] init(int in, int out, SplittableRandom random) {
    double limit = Math.sqrt(6.0 / (in + out));
    double[][] w = new double[in][out];
    for (double[] row : w) {
      for (int j = 0; j < out; j++) {
        row[j] = (random.nextDouble() * 2 - 1) * limit;
      }
    }
    return w;
  }

  private static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static float[][] toFloat(double[][] w) {
    float[][] out = new float[w.length][];
    for (int i = 0; i < w.length; i++) {
      out[i] = toFloat(w[i]);
    }
    return out;
  }

  private static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  /** Adam over one layer's weights and bias. */
  private final class Adam {
    private final double[] m;
    private final double[] v;
    private int t;

    Adam(int size) {
      m = new double[size];
      v = new double[size];
    }

    void step(double[][] w, double[] b, double[][] gw, double[] gb) {
      t++;
      double c1 = 1 - Math.pow(0.9, t);
      double c2 = 1 - Math.pow(0.999, t);
      int k = 0;
      for (int i = 0; i < w.length; i++) {
        for (int j = 0; j < w[i].length; j++, k++) {
          w[i][j] -= update(k, gw[i][j] + l2 * w[i][j], c1, c2);
        }
      }
      for (int j = 0; j < b.length; j++, k++) {
        b[j] -= update(k, gb[j], c1, c2);
      }
    }

    private double update(int k, double g, double c1, double c2) {
      m[k] = 0.9 * m[k] + 0.1 * g;
      v[k] = 0.999 * v[k] + 0.001 * g * g;
      return learningRate * (m[k] / c1) / (Math.sqrt(v[k] / c2) + 1e-8);
    }
  }
}
