package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.coders.Packed;
import com.cryptoml.inference.transforms.coders.PackedCoder;
import java.util.ArrayList;
import java.util.List;

/**
 * One piece of a prediction's outcome, grouped under the key of the predicted bar and horizon: a later
 * bar's one-bar return, the predicted bar's volatility, or the prediction itself. {@code windowEnd} is
 * the end of the event-time window the pieces meet in ({@link OutcomeWindows}).
 */
public final class OutcomePart {
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

  static final class Coder extends PackedCoder<OutcomePart> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    protected int sizeHint(OutcomePart p) {
      return 64;
    }

    @Override
    protected void put(Packed.Writer out, OutcomePart p) {
      out.putInt(p.kind).putLong(p.target).putLong(p.windowEnd).putLong(p.bar).putDouble(p.value);
      if (p.kind == BAR) {
        out.putDouble(p.vol);
      }
      if (p.kind == PREDICTION) {
        out.putString(p.modelId).putString(p.modelVersion).putString(p.registryVersion).putString(p.modelType)
            .putInt(p.prediction).putDouble(p.confidence).putDouble(p.pShort).putDouble(p.pNeutral).putDouble(p.pLong);
      }
    }

    @Override
    protected OutcomePart get(Packed.Reader in) {
      byte kind = (byte) in.getInt();
      long target = in.getLong();
      long windowEnd = in.getLong();
      long bar = in.getLong();
      double value = in.getDouble();
      if (kind == BAR) {
        return new OutcomePart(kind, target, windowEnd, bar, value, in.getDouble(), "", "", "", "", 0, 0, Double.NaN, Double.NaN,
            Double.NaN);
      }
      if (kind != PREDICTION) {
        return new OutcomePart(kind, target, windowEnd, bar, value, "", "", "", "", 0, 0, Double.NaN, Double.NaN, Double.NaN);
      }
      return new OutcomePart(kind, target, windowEnd, bar, value, in.getString(), in.getString(), in.getString(),
          in.getString(), in.getInt(), in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble());
    }
  }

  /** A list of parts as one packed value (a stream's pending predictions in state). */
  static final class ListCoder extends PackedCoder<List<OutcomePart>> {
    static final ListCoder INSTANCE = new ListCoder();

    @Override
    protected int sizeHint(List<OutcomePart> parts) {
      return 64 * parts.size() + 16;
    }

    @Override
    protected void put(Packed.Writer w, List<OutcomePart> parts) {
      w.putInt(parts.size());
      for (OutcomePart p : parts) {
        Coder.INSTANCE.put(w, p);
      }
    }

    @Override
    protected List<OutcomePart> get(Packed.Reader r) {
      int n = r.getInt();
      List<OutcomePart> parts = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        parts.add(Coder.INSTANCE.get(r));
      }
      return parts;
    }
  }
}
