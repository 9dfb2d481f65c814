package com.cryptoml.inference.transforms.quality;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.transforms.Combine;

/** Accumulates one model version's outcomes into a {@link ModelAccuracy}. */
final class AccuracyFn extends Combine.CombineFn<Outcome, AccuracyFn.Acc, ModelAccuracy> {
  /** Confidence buckets of width 0.1; a 3-class prediction's confidence is at least 1/3. */
  static final int BUCKETS = 10;

  static final class Acc implements Serializable {
    String modelId = "";
    String modelVersion = "";
    String registryVersion = "";
    String modelType = "";
    String timeframe = "";
    long n;
    long correct;
    long longN;
    long longHits;
    long shortN;
    long shortHits;
    long brierN;
    double brierSum;
    long[] bucketN = new long[BUCKETS];
    long[] bucketCorrect = new long[BUCKETS];
    double[] bucketConfidence = new double[BUCKETS];
  }

  static int bucket(double confidence) {
    return Math.max(0, Math.min(BUCKETS - 1, (int) Math.floor(confidence * BUCKETS)));
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc a, Outcome o) {
    a.modelId = o.getModelId();
    a.modelVersion = o.getModelVersion();
    a.registryVersion = o.getRegistryVersion();
    a.modelType = o.getModelType();
    a.timeframe = o.getTimeframe();
    a.n++;
    boolean right = o.correct();
    if (right) {
      a.correct++;
    }
    if (o.getPrediction() == 1) {
      a.longN++;
      a.longHits += o.getRealized() == 1 ? 1 : 0;
    } else if (o.getPrediction() == -1) {
      a.shortN++;
      a.shortHits += o.getRealized() == -1 ? 1 : 0;
    }
    if (o.getBrier() != null) {
      a.brierN++;
      a.brierSum += o.getBrier();
    }
    int b = bucket(o.getConfidence());
    a.bucketN[b]++;
    a.bucketConfidence[b] += o.getConfidence();
    a.bucketCorrect[b] += right ? 1 : 0;
    return a;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc m = new Acc();
    for (Acc a : accs) {
      if (a.n == 0) {
        continue;
      }
      m.modelId = a.modelId;
      m.modelVersion = a.modelVersion;
      m.registryVersion = a.registryVersion;
      m.modelType = a.modelType;
      m.timeframe = a.timeframe;
      m.n += a.n;
      m.correct += a.correct;
      m.longN += a.longN;
      m.longHits += a.longHits;
      m.shortN += a.shortN;
      m.shortHits += a.shortHits;
      m.brierN += a.brierN;
      m.brierSum += a.brierSum;
      for (int b = 0; b < BUCKETS; b++) {
        m.bucketN[b] += a.bucketN[b];
        m.bucketCorrect[b] += a.bucketCorrect[b];
        m.bucketConfidence[b] += a.bucketConfidence[b];
      }
    }
    return m;
  }

  @Override
  public ModelAccuracy extractOutput(Acc a) {
    List<CalibrationBucket> calibration = new ArrayList<>();
    for (int b = 0; b < BUCKETS; b++) {
      if (a.bucketN[b] > 0) {
        calibration.add(CalibrationBucket.of(b / (double) BUCKETS, (b + 1) / (double) BUCKETS, a.bucketN[b],
            round(a.bucketConfidence[b] / a.bucketN[b]), round(a.bucketCorrect[b] / (double) a.bucketN[b])));
      }
    }
    return ModelAccuracy.builder().setModelId(a.modelId).setModelVersion(a.modelVersion).setRegistryVersion(a.registryVersion)
        .setModelType(a.modelType).setTimeframe(a.timeframe).setOutcomes(a.n)
        .setAccuracy(a.n == 0 ? 0 : round(a.correct / (double) a.n))
        .setLongPredictions(a.longN).setLongHitRate(a.longN == 0 ? null : round(a.longHits / (double) a.longN))
        .setShortPredictions(a.shortN).setShortHitRate(a.shortN == 0 ? null : round(a.shortHits / (double) a.shortN))
        .setBrierScore(a.brierN == 0 ? null : round(a.brierSum / a.brierN))
        .setCalibration(calibration).build();
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  @Override
  public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<Outcome> input) {
    return AccCoder.INSTANCE;
  }

  /** Field by field: the accumulator is state, read and written per outcome. */
  static final class AccCoder extends AtomicCoder<Acc> {
    static final AccCoder INSTANCE = new AccCoder();

    @Override
    public void encode(Acc a, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      for (String s : new String[] {a.modelId, a.modelVersion, a.registryVersion, a.modelType, a.timeframe}) {
        out.writeUTF(s);
      }
      for (long v : new long[] {a.n, a.correct, a.longN, a.longHits, a.shortN, a.shortHits, a.brierN}) {
        out.writeLong(v);
      }
      out.writeDouble(a.brierSum);
      for (int b = 0; b < BUCKETS; b++) {
        out.writeLong(a.bucketN[b]);
        out.writeLong(a.bucketCorrect[b]);
        out.writeDouble(a.bucketConfidence[b]);
      }
      out.flush();
    }

    @Override
    public Acc decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      Acc a = new Acc();
      a.modelId = in.readUTF();
      a.modelVersion = in.readUTF();
      a.registryVersion = in.readUTF();
      a.modelType = in.readUTF();
      a.timeframe = in.readUTF();
      a.n = in.readLong();
      a.correct = in.readLong();
      a.longN = in.readLong();
      a.longHits = in.readLong();
      a.shortN = in.readLong();
      a.shortHits = in.readLong();
      a.brierN = in.readLong();
      a.brierSum = in.readDouble();
      for (int b = 0; b < BUCKETS; b++) {
        a.bucketN[b] = in.readLong();
        a.bucketCorrect[b] = in.readLong();
        a.bucketConfidence[b] = in.readDouble();
      }
      return a;
    }
  }
}
