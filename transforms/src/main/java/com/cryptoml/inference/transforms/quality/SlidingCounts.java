package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.coders.Packed;
import com.cryptoml.inference.transforms.coders.PackedCoder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * <p>A stream does both stages with Beam windows. A backfill ({@code inKey}) counts the periods of a
 * key in accumulators of {@link #CHUNK_PERIODS} periods each (period start to counts), then sums from
 * each the windows that start in it, writing the window into the key ({@link KeyedWindows}); a period
 * is also counted in the earlier chunks whose windows reach it. A key per period instead made a group
 * per period and key, 11,000 of them over a million 1m bars, and on the Direct runner each is a bundle
 * of its own through every later step. Chunks, not one accumulator per key: the Direct runner copies
 * a key's accumulators (one per bundle) for every bundle that adds one, and a chunk only hears from
 * the bundles of its own weeks.
 */
final class SlidingCounts extends PTransform<PCollection<KV<String, int[]>>, PCollection<KV<String, BinCounts>>> {
  /** Periods per accumulator in a backfill: 10,240 bars (a week of 1m bars) with the default 20-bar periods. */
  static final int CHUNK_PERIODS = 512;

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
          .apply("InPeriod", ParDo.of(new InPeriodFn(periods, windowBars, periodBars)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), BinCounts.BinsCoder.of())))
          .apply("CountPerPeriod", Combine.perKey(new PeriodSum()))
          .apply("SumWindows", ParDo.of(new WindowsFromPeriodsFn(sliding, periodBars)))
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

  /** The length of a chunk of periods of a key's timeframe. */
  static long chunkMillis(String key, int periodBars) {
    Timeframe tf = Timeframe.of(new FeatureDrift.KeyTimeframe<>().apply(KV.of(key, null)));
    return (long) CHUNK_PERIODS * periodBars * tf.barLength().toMillis();
  }

  /**
   * An observation as (start of its period, bins) under {@code key#chunk}, for its own chunk and every
   * earlier one that has a window holding the period, at its own timestamp.
   */
  static final class InPeriodFn extends DoFn<KV<String, int[]>, KV<String, KV<Long, int[]>>> {
    private final TimeframeSlidingWindows<KV<String, int[]>> periods;
    private final int windowBars;
    private final int periodBars;

    InPeriodFn(TimeframeSlidingWindows<KV<String, int[]>> periods, int windowBars, int periodBars) {
      this.periods = periods;
      this.windowBars = windowBars;
      this.periodBars = periodBars;
    }

    @ProcessElement
    public void process(@Element KV<String, int[]> kv, @Timestamp Instant t, OutputReceiver<KV<String, KV<Long, int[]>>> out)
        throws Exception {
      IntervalWindow period = KeyedWindows.assign(periods, kv, t).iterator().next(); // periods do not overlap
      long start = period.start().getMillis();
      long length = period.end().getMillis() - start;
      // Windows holding the period start at it and every period before it, as long as they reach it.
      long earliestWindow = start - (windowBars * length / periodBars - 1) / length * length;
      long chunk = CHUNK_PERIODS * length; // as chunkMillis gives, from the period at hand
      for (long c = Math.floorDiv(earliestWindow, chunk); c <= Math.floorDiv(start, chunk); c++) {
        out.output(KV.of(kv.getKey() + KeyedWindows.SEPARATOR + c, KV.of(start, kv.getValue())));
      }
    }
  }

  /** Counts per period start, for the periods of a chunk. */
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
  static final class PeriodsCoder extends PackedCoder<Map<Long, BinCounts>> {
    static final PeriodsCoder INSTANCE = new PeriodsCoder();

    @Override
    protected int sizeHint(Map<Long, BinCounts> periods) {
      return 64 * periods.size() + 8;
    }

    @Override
    protected void put(Packed.Writer w, Map<Long, BinCounts> periods) {
      w.putInt(periods.size());
      for (Map.Entry<Long, BinCounts> e : periods.entrySet()) {
        w.putLong(e.getKey());
        BinCounts.Coder.of().put(w, e.getValue());
      }
    }

    @Override
    protected Map<Long, BinCounts> get(Packed.Reader r) {
      int n = r.getInt();
      Map<Long, BinCounts> periods = new HashMap<>(2 * n);
      for (int i = 0; i < n; i++) {
        periods.put(r.getLong(), BinCounts.Coder.of().get(r));
      }
      return periods;
    }
  }

  /** A chunk's period counts to the counts of every window that starts in the chunk, the window in the key. */
  static final class WindowsFromPeriodsFn extends DoFn<KV<String, Map<Long, BinCounts>>, KV<String, BinCounts>> {
    private final TimeframeSlidingWindows<KV<String, BinCounts>> sliding;
    private final int periodBars;

    WindowsFromPeriodsFn(TimeframeSlidingWindows<KV<String, BinCounts>> sliding, int periodBars) {
      this.sliding = sliding;
      this.periodBars = periodBars;
    }

    @ProcessElement
    public void process(@Element KV<String, Map<Long, BinCounts>> periods, OutputReceiver<KV<String, BinCounts>> out)
        throws Exception {
      String key = KeyedWindows.baseKey(periods.getKey());
      long chunk = Long.parseLong(periods.getKey().substring(key.length() + 1));
      long chunkMillis = chunkMillis(key, periodBars);
      Map<IntervalWindow, BinCounts> windows = new LinkedHashMap<>();
      for (Map.Entry<Long, BinCounts> period : periods.getValue().entrySet()) {
        for (IntervalWindow w : KeyedWindows.assign(sliding, KV.of(key, period.getValue()), new Instant(period.getKey()))) {
          if (Math.floorDiv(w.start().getMillis(), chunkMillis) == chunk) {
            windows.computeIfAbsent(w, k -> new BinCounts()).merge(period.getValue());
          }
        }
      }
      windows.forEach((w, counts) -> out.output(KV.of(
          key + KeyedWindows.SEPARATOR + w.start().getMillis() + KeyedWindows.SEPARATOR + w.end().getMillis(), counts)));
    }
  }
}
