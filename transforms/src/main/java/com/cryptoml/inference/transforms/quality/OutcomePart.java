package com.cryptoml.inference.transforms.quality;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One piece of a prediction's outcome, grouped under the key of the predicted bar and horizon: a later
 * bar's one-bar return, the predicted bar's volatility, or the prediction itself. {@code windowEnd} is
 * the end of the event-time window the pieces meet in ({@link OutcomeWindows}).
 */
final class OutcomePart {
  static final byte RETURN = 0;
  static final byte VOLATILITY = 1;
  static final byte PREDICTION = 2;
  /** A bar's return and volatility together (a stream's join keeps bars in state). */
  static final byte BAR = 3;

  final byte kind;
  final long target;
  final long windowEnd;
  /** RETURN: the bar the return belongs to. */
  final long bar;
  /** RETURN and BAR: the return; VOLATILITY: the volatility. */
  final double value;
  /** BAR: the volatility (NaN when the bar has none). */
  final double vol;
  final String modelId;
  final String modelVersion;
  final String registryVersion;
  final String modelType;
  final int prediction;
  final double confidence;
  final double pShort;
  final double pNeutral;
  final double pLong;

  private OutcomePart(byte kind, long target, long windowEnd, long bar, double value, String modelId, String modelVersion,
      String registryVersion, String modelType, int prediction, double confidence, double pShort, double pNeutral, double pLong) {
    this(kind, target, windowEnd, bar, value, Double.NaN, modelId, modelVersion, registryVersion, modelType, prediction, confidence,
        pShort, pNeutral, pLong);
  }

  private OutcomePart(byte kind, long target, long windowEnd, long bar, double value, double vol, String modelId,
      String modelVersion, String registryVersion, String modelType, int prediction, double confidence, double pShort,
      double pNeutral, double pLong) {
    this.vol = vol;
    this.kind = kind;
    this.target = target;
    this.windowEnd = windowEnd;
    this.bar = bar;
    this.value = value;
    this.modelId = modelId;
    this.modelVersion = modelVersion;
    this.registryVersion = registryVersion;
    this.modelType = modelType;
    this.prediction = prediction;
    this.confidence = confidence;
    this.pShort = pShort;
    this.pNeutral = pNeutral;
    this.pLong = pLong;
  }

  static OutcomePart ret(long target, long windowEnd, long bar, double ret) {
    return new OutcomePart(RETURN, target, windowEnd, bar, ret, "", "", "", "", 0, 0, Double.NaN, Double.NaN, Double.NaN);
  }

  static OutcomePart volatility(long target, long windowEnd, double vol) {
    return new OutcomePart(VOLATILITY, target, windowEnd, target, vol, "", "", "", "", 0, 0, Double.NaN, Double.NaN, Double.NaN);
  }

  static OutcomePart bar(long bar, double ret, double vol) {
    return new OutcomePart(BAR, bar, bar, bar, ret, vol, "", "", "", "", 0, 0, Double.NaN, Double.NaN, Double.NaN);
  }

  /** A prediction; its horizon is {@code (windowEnd - target) / bar - 1}. */
  static OutcomePart prediction(long target, long windowEnd, String modelId, String modelVersion, String registryVersion,
      String modelType, int prediction, double confidence, double pShort, double pNeutral, double pLong) {
    return new OutcomePart(PREDICTION, target, windowEnd, target, Double.NaN, modelId, modelVersion, registryVersion, modelType,
        prediction, confidence, pShort, pNeutral, pLong);
  }

  static final class Coder extends AtomicCoder<OutcomePart> {
    private static final Coder INSTANCE = new Coder();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(OutcomePart p, OutputStream out) throws IOException {
      ByteCoder.of().encode(p.kind, out);
      LONG.encode(p.target, out);
      LONG.encode(p.windowEnd, out);
      LONG.encode(p.bar, out);
      DOUBLE.encode(p.value, out);
      if (p.kind == BAR) {
        DOUBLE.encode(p.vol, out);
      }
      if (p.kind == PREDICTION) {
        STRING.encode(p.modelId, out);
        STRING.encode(p.modelVersion, out);
        STRING.encode(p.registryVersion, out);
        STRING.encode(p.modelType, out);
        VarIntCoder.of().encode(p.prediction, out);
        DOUBLE.encode(p.confidence, out);
        DOUBLE.encode(p.pShort, out);
        DOUBLE.encode(p.pNeutral, out);
        DOUBLE.encode(p.pLong, out);
      }
    }

    @Override
    public OutcomePart decode(InputStream in) throws IOException {
      byte kind = ByteCoder.of().decode(in);
      long target = LONG.decode(in);
      long windowEnd = LONG.decode(in);
      long bar = LONG.decode(in);
      double value = DOUBLE.decode(in);
      if (kind == BAR) {
        return new OutcomePart(kind, target, windowEnd, bar, value, DOUBLE.decode(in), "", "", "", "", 0, 0, Double.NaN, Double.NaN,
            Double.NaN);
      }
      if (kind != PREDICTION) {
        return new OutcomePart(kind, target, windowEnd, bar, value, "", "", "", "", 0, 0, Double.NaN, Double.NaN, Double.NaN);
      }
      return new OutcomePart(kind, target, windowEnd, bar, value, STRING.decode(in), STRING.decode(in), STRING.decode(in),
          STRING.decode(in), VarIntCoder.of().decode(in), DOUBLE.decode(in), DOUBLE.decode(in), DOUBLE.decode(in), DOUBLE.decode(in));
    }
  }
}
