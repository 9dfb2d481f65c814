package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.coders.Packed;
import com.cryptoml.inference.transforms.coders.PackedCoder;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Counts per (slot, bin): per feature and training-histogram bin for feature drift, per period and
 * class for prediction drift. Rows grow as slots and bins appear, so one type serves both.
 */
public final class BinCounts {
  long[][] counts = new long[0][];

  /** Adds one observation: slot {@code i} fell in bin {@code bins[i]} (negative: not observed). */
  public void add(int[] bins) {
    for (int i = 0; i < bins.length; i++) {
      if (bins[i] >= 0) {
        inc(i, bins[i], 1);
      }
    }
  }

  void inc(int slot, int bin, long n) {
    if (slot >= counts.length) {
      long[][] grown = Arrays.copyOf(counts, slot + 1);
      for (int i = counts.length; i <= slot; i++) {
        grown[i] = new long[0];
      }
      counts = grown;
    }
    if (bin >= counts[slot].length) {
      counts[slot] = Arrays.copyOf(counts[slot], bin + 1);
    }
    counts[slot][bin] += n;
  }

  public void merge(BinCounts other) {
    for (int s = 0; s < other.counts.length; s++) {
      for (int b = 0; b < other.counts[s].length; b++) {
        if (other.counts[s][b] != 0) {
          inc(s, b, other.counts[s][b]);
        }
      }
    }
  }

  public int slots() {
    return counts.length;
  }

  /** Counts of one slot padded to {@code bins}. */
  public long[] slot(int slot, int bins) {
    long[] out = new long[bins];
    if (slot < counts.length) {
      System.arraycopy(counts[slot], 0, out, 0, Math.min(bins, counts[slot].length));
    }
    return out;
  }

  public long total(int slot) {
    long t = 0;
    if (slot < counts.length) {
      for (long c : counts[slot]) {
        t += c;
      }
    }
    return t;
  }

  /** Sums bin observations per key; the input is one observation's bin per slot. */
  public static final class Sum extends Summing<int[]> {
    @Override
    void add(BinCounts acc, int[] bins) {
      acc.add(bins);
    }
  }

  /** Sums counts (e.g. the periods of a sliding window). */
  public static final class Merge extends Summing<BinCounts> {
    @Override
    void add(BinCounts acc, BinCounts counts) {
      acc.merge(counts);
    }
  }

  /** A sum of counts, whatever is added to it. */
  private abstract static class Summing<InT> extends Combine.CombineFn<InT, BinCounts, BinCounts> {
    abstract void add(BinCounts acc, InT in);

    @Override
    public BinCounts createAccumulator() {
      return new BinCounts();
    }

    @Override
    public BinCounts addInput(BinCounts acc, InT in) {
      add(acc, in);
      return acc;
    }

    @Override
    public BinCounts mergeAccumulators(Iterable<BinCounts> accs) {
      BinCounts out = new BinCounts();
      accs.forEach(out::merge);
      return out;
    }

    @Override
    public BinCounts extractOutput(BinCounts acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<BinCounts> getAccumulatorCoder(org.apache.beam.sdk.coders.CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<InT> in) {
      return Coder.of();
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<BinCounts> getDefaultOutputCoder(org.apache.beam.sdk.coders.CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<InT> in) {
      return Coder.of();
    }
  }

  public static final class Coder extends PackedCoder<BinCounts> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    protected int sizeHint(BinCounts v) {
      return 256;
    }

    @Override
    protected void put(Packed.Writer w, BinCounts v) {
      w.putInt(v.counts.length);
      for (long[] row : v.counts) {
        w.putInt(row.length);
        for (long c : row) {
          w.putLong(c);
        }
      }
    }

    @Override
    protected BinCounts get(Packed.Reader r) {
      BinCounts v = new BinCounts();
      int rows = r.getInt();
      v.counts = new long[rows][];
      for (int i = 0; i < rows; i++) {
        long[] row = new long[r.getInt()];
        for (int b = 0; b < row.length; b++) {
          row[b] = r.getLong();
        }
        v.counts[i] = row;
      }
      return v;
    }
  }

  /** Coder for one observation's bins. */
  public static final class BinsCoder extends PackedCoder<int[]> {
    private static final BinsCoder INSTANCE = new BinsCoder();

    public static BinsCoder of() {
      return INSTANCE;
    }

    @Override
    protected int sizeHint(int[] v) {
      return 4 * v.length + 4;
    }

    @Override
    protected void put(Packed.Writer w, int[] v) {
      w.putInt(v.length);
      for (int b : v) {
        w.putInt(b);
      }
    }

    @Override
    protected int[] get(Packed.Reader r) {
      int[] v = new int[r.getInt()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.getInt();
      }
      return v;
    }
  }
}
