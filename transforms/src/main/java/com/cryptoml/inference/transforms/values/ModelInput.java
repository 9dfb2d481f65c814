package com.cryptoml.inference.transforms.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One model's input for one bar, on its way from the lookback history to the predictor: the raw
 * (not yet normalised) window of {@code lookback} bars x {@code features} values, oldest bar first,
 * with imputed values filled in. Internal to the inference path, hence a compact hand-written coder
 * instead of a schema.
 */
public record ModelInput(String symbol, String exchange, String timeframe, long barMillis, String modelId, String registryVersion,
    double[] values, List<String> imputed, long arrivalMillis) {
  /**
   * {@code values}: raw, row-major [bar][feature], shared, not copied; {@code arrivalMillis}: wall-clock
   * time the bar reached the history, 0 when unknown.
   */
  public ModelInput {
    imputed = List.copyOf(imputed);
  }

  public ModelInput(String symbol, String exchange, String timeframe, long barMillis, String modelId,
      String registryVersion, double[] values, List<String> imputed) {
    this(symbol, exchange, timeframe, barMillis, modelId, registryVersion, values, imputed, 0L);
  }

  /** The model version this input was assembled for; inputs batch per version. */
  public String servingKey() {
    return modelId + ":" + registryVersion;
  }

  @Override
  public String toString() {
    return modelId + ":" + registryVersion + " " + symbol + "/" + exchange + "/" + timeframe + "@" + barMillis;
  }

  /** Compact binary coder; deterministic, so inputs can be keys' values in grouping transforms. */
  public static final class Coder extends AtomicCoder<ModelInput> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ModelInput v, OutputStream out) throws IOException {
      STRING.encode(v.symbol, out);
      STRING.encode(v.exchange, out);
      STRING.encode(v.timeframe, out);
      LONG.encode(v.barMillis, out);
      STRING.encode(v.modelId, out);
      STRING.encode(v.registryVersion, out);
      INT.encode(v.values.length, out);
      for (double d : v.values) {
        DOUBLE.encode(d, out);
      }
      INT.encode(v.imputed.size(), out);
      for (String s : v.imputed) {
        STRING.encode(s, out);
      }
      LONG.encode(v.arrivalMillis, out);
    }

    @Override
    public ModelInput decode(InputStream in) throws IOException {
      String symbol = STRING.decode(in);
      String exchange = STRING.decode(in);
      String timeframe = STRING.decode(in);
      long bar = LONG.decode(in);
      String model = STRING.decode(in);
      String version = STRING.decode(in);
      int n = INT.decode(in);
      if (n < 0 || n > 1 << 20) {
        throw new IOException("corrupt ModelInput: " + n + " values");
      }
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = DOUBLE.decode(in);
      }
      int m = INT.decode(in);
      List<String> imputed = new ArrayList<>(m);
      for (int i = 0; i < m; i++) {
        imputed.add(STRING.decode(in));
      }
      return new ModelInput(symbol, exchange, timeframe, bar, model, version, values, imputed, LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
