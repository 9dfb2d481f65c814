package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.coders.Packed;
import com.cryptoml.inference.transforms.coders.PackedCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One series' side of a stream's outcome join: its recent bars, its pending predictions, the latest predicted bar. */
public final class SeriesJoin {
  /** Bar time to (return, volatility), NaN where missing. */
  final TreeMap<Long, double[]> bars;
  final List<OutcomePart> pending;
  /** The latest predicted bar seen: where the predictions' side has got to (null: none yet). */
  @Nullable Long predicted;

  SeriesJoin(TreeMap<Long, double[]> bars, List<OutcomePart> pending, @Nullable Long predicted) {
    this.bars = bars;
    this.pending = pending;
    this.predicted = predicted;
  }

  /** The state's coder. */
  public static final class Coder extends AtomicCoder<SeriesJoin> {
    public static final Coder INSTANCE = new Coder();
    private static final NullableCoder<Long> PREDICTED = NullableCoder.of(VarLongCoder.of());

    @Override
    public void encode(SeriesJoin join, OutputStream os) throws IOException {
      BarsCoder.INSTANCE.encode(join.bars, os);
      OutcomePart.ListCoder.INSTANCE.encode(join.pending, os);
      PREDICTED.encode(join.predicted, os);
    }

    @Override
    public SeriesJoin decode(InputStream is) throws IOException {
      return new SeriesJoin(BarsCoder.INSTANCE.decode(is), OutcomePart.ListCoder.INSTANCE.decode(is), PREDICTED.decode(is));
    }
  }

  /** Bar time to (return, volatility), as one packed array. */
  static final class BarsCoder extends PackedCoder<TreeMap<Long, double[]>> {
    static final BarsCoder INSTANCE = new BarsCoder();

    @Override
    protected void put(Packed.Writer out, TreeMap<Long, double[]> bars) {
      out.putInt(bars.size());
      for (Map.Entry<Long, double[]> b : bars.entrySet()) {
        out.putLong(b.getKey()).putDouble(b.getValue()[0]).putDouble(b.getValue()[1]);
      }
    }

    @Override
    protected TreeMap<Long, double[]> get(Packed.Reader in) {
      TreeMap<Long, double[]> bars = new TreeMap<>();
      int n = in.getInt();
      for (int i = 0; i < n; i++) {
        bars.put(in.getLong(), new double[] {in.getDouble(), in.getDouble()});
      }
      return bars;
    }
  }
}
