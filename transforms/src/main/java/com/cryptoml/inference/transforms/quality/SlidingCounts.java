package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.coders.Packed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Bin counts per key over sliding windows of {@code windowBars} bars sliding every {@code periodBars},
 * in two stages: each observation is counted once into its period, then the few period counts are
 * summed into every window that holds the period. Windowing the observations themselves would put
 * each into {@code windowBars / periodBars} windows. Keys are {@code servingKey|timeframe|...}.
 *
 * <p>A stream does both stages with Beam windows. A backfill ({@code inKey}) counts all periods of a key
 * in one accumulator (period start to counts) and then sums each window from it, writing the window
 * into the key ({@link KeyedWindows}). A key per period instead made a group per period and key:
 * 11,000 of them over a million 1m bars, and on the Direct runner each is a bundle of its own through
 * every later step.
 */
final class SlidingCounts extends PTransform<PCollection<KV<String, int[]>>, PCollection<KV<String, BinCounts>>> {
  private final int windowBars;
  private final int periodBars;
  private final boolean inKey;

  SlidingCounts(int windowBars, int periodBars, boolean inKey) {
    this.windowBars = windowBars;
    this.periodBars = periodBars;
    this.inKey = inKey;
  }

  @Override
  public PCollection<KV<String, BinCounts>> expand(PCollection<KV<String, int[]>> observations) {
    KvCoder<String, BinCounts> coder = KvCoder.of(StringUtf8Coder.of(), BinCounts.Coder.of());
    TimeframeSlidingWindows<KV<String, int[]>> periods =
        new TimeframeSlidingWindows<>(new FeatureDrift.KeyTimeframe<>(), periodBars, periodBars);
    TimeframeSlidingWindows<KV<String, BinCounts>> sliding =
        new TimeframeSlidingWindows<>(new FeatureDrift.KeyTimeframe<>(), windowBars, periodBars);
    if (inKey) {
      return observations
          .apply("InPeriod", ParDo.of(new InPeriodFn(periods)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), BinCounts.BinsCoder.of())))
          .apply("CountPerPeriod", Combine.perKey(new PeriodSum()))
          .apply("SumWindows", ParDo.of(new WindowsFromPeriodsFn(sliding)))
          .setCoder(coder);
    }
    return observations
        .apply("PeriodWindows", new KeyedWindows<>(periods))
        .apply("CountPerPeriod", Combine.perKey(new BinCounts.Sum()))
        .setCoder(coder)
        // A period's count carries the period's last timestamp: it lands in the windows holding the period.
        .apply("SlidingWindows", KeyedWindows.<KV<String, BinCounts>>firingOnceAtTheEnd(sliding))
        .apply("SumPeriods", Combine.perKey(new BinCounts.Merge()))
        .setCoder(coder);
  }

  /** An observation as (start of its period, bins), at its own timestamp. */
  static final class InPeriodFn extends DoFn<KV<String, int[]>, KV<String, KV<Long, int[]>>> {
    private final TimeframeSlidingWindows<KV<String, int[]>> periods;

    InPeriodFn(TimeframeSlidingWindows<KV<String, int[]>> periods) {
      this.periods = periods;
    }

    @ProcessElement
    public void process(@Element KV<String, int[]> kv, @Timestamp Instant t, OutputReceiver<KV<String, KV<Long, int[]>>> out)
        throws Exception {
      IntervalWindow period = KeyedWindows.assign(periods, kv, t).iterator().next(); // periods do not overlap
      out.output(KV.of(kv.getKey(), KV.of(period.start().getMillis(), kv.getValue())));
    }
  }

  /** Counts per period start, for all periods of a key. */
  static final class PeriodSum extends Combine.CombineFn<KV<Long, int[]>, Map<Long, BinCounts>, Map<Long, BinCounts>> {
    @Override
    public Map<Long, BinCounts> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<Long, BinCounts> addInput(Map<Long, BinCounts> acc, KV<Long, int[]> in) {
      acc.computeIfAbsent(in.getKey(), k -> new BinCounts()).add(in.getValue());
      return acc;
    }

    @Override
    public Map<Long, BinCounts> mergeAccumulators(Iterable<Map<Long, BinCounts>> accs) {
      Map<Long, BinCounts> out = new HashMap<>();
      for (Map<Long, BinCounts> acc : accs) {
        acc.forEach((start, counts) -> out.computeIfAbsent(start, k -> new BinCounts()).merge(counts));
      }
      return out;
    }

    @Override
    public Map<Long, BinCounts> extractOutput(Map<Long, BinCounts> acc) {
      return acc;
    }

    @Override
    public Coder<Map<Long, BinCounts>> getAccumulatorCoder(CoderRegistry r, Coder<KV<Long, int[]>> in) {
      return PeriodsCoder.INSTANCE;
    }

    @Override
    public Coder<Map<Long, BinCounts>> getDefaultOutputCoder(CoderRegistry r, Coder<KV<Long, int[]>> in) {
      return PeriodsCoder.INSTANCE;
    }
  }

  /**
   * A key's periods as one pack. The Direct runner copies the accumulators of a key, one per bundle, for
   * every bundle that adds one: a pack per period (a map coder) took a tenth of a backfill's time.
   */
  static final class PeriodsCoder extends AtomicCoder<Map<Long, BinCounts>> {
    static final PeriodsCoder INSTANCE = new PeriodsCoder();

    @Override
    public void encode(Map<Long, BinCounts> periods, OutputStream out) throws IOException {
      Packed.Writer w = new Packed.Writer(64 * periods.size() + 8);
      w.putInt(periods.size());
      for (Map.Entry<Long, BinCounts> e : periods.entrySet()) {
        w.putLong(e.getKey());
        BinCounts.Coder.put(w, e.getValue());
      }
      w.writeTo(out);
    }

    @Override
    public Map<Long, BinCounts> decode(InputStream in) throws IOException {
      Packed.Reader r = Packed.Reader.readFrom(in);
      int n = r.getInt();
      Map<Long, BinCounts> periods = new HashMap<>(2 * n);
      for (int i = 0; i < n; i++) {
        periods.put(r.getLong(), BinCounts.Coder.get(r));
      }
      return periods;
    }
  }

  /** A key's period counts to the counts of every window holding one of its periods, the window in the key. */
  static final class WindowsFromPeriodsFn extends DoFn<KV<String, Map<Long, BinCounts>>, KV<String, BinCounts>> {
    private final TimeframeSlidingWindows<KV<String, BinCounts>> sliding;

    WindowsFromPeriodsFn(TimeframeSlidingWindows<KV<String, BinCounts>> sliding) {
      this.sliding = sliding;
    }

    @ProcessElement
    public void process(@Element KV<String, Map<Long, BinCounts>> periods, OutputReceiver<KV<String, BinCounts>> out)
        throws Exception {
      String key = periods.getKey();
      Map<IntervalWindow, BinCounts> windows = new LinkedHashMap<>();
      for (Map.Entry<Long, BinCounts> period : periods.getValue().entrySet()) {
        for (IntervalWindow w : KeyedWindows.assign(sliding, KV.of(key, period.getValue()), new Instant(period.getKey()))) {
          windows.computeIfAbsent(w, k -> new BinCounts()).merge(period.getValue());
        }
      }
      windows.forEach((w, counts) -> out.output(KV.of(
          key + KeyedWindows.SEPARATOR + w.start().getMillis() + KeyedWindows.SEPARATOR + w.end().getMillis(), counts)));
    }
  }
}
