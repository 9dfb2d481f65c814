package com.cryptoml.inference.transforms.quality;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Bin counts per key over sliding windows of {@code windowBars} bars sliding every {@code periodBars},
 * in two stages: each observation is counted once into its period, then the few period counts are
 * summed into every window that holds the period. Windowing the observations themselves would put
 * each into {@code windowBars / periodBars} windows. Keys are {@code servingKey|timeframe|...}.
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
    PCollection<KV<String, BinCounts>> perPeriod = observations
        .apply("PeriodWindows", new KeyedWindows<>(
            new TimeframeSlidingWindows<>(new FeatureDrift.KeyTimeframe<>(), periodBars, periodBars), inKey))
        .apply("CountPerPeriod", Combine.perKey(new BinCounts.Sum()))
        .setCoder(coder);
    TimeframeSlidingWindows<KV<String, BinCounts>> sliding =
        new TimeframeSlidingWindows<>(new FeatureDrift.KeyTimeframe<>(), windowBars, periodBars);
    PCollection<KV<String, BinCounts>> windowed;
    if (!inKey) {
      // A period's count carries the period's last timestamp: it lands in the windows holding the period.
      windowed = perPeriod.apply("SlidingWindows", KeyedWindows.<KV<String, BinCounts>>firingOnceAtTheEnd(sliding));
    } else {
      windowed = perPeriod.apply("SlidingWindowsInKey", ParDo.of(new DoFn<KV<String, BinCounts>, KV<String, BinCounts>>() {
        @ProcessElement
        public void process(@Element KV<String, BinCounts> kv, OutputReceiver<KV<String, BinCounts>> out) throws Exception {
          String base = KeyedWindows.baseKey(kv.getKey());
          IntervalWindow period = KeyedWindows.window(kv.getKey(), GlobalWindow.INSTANCE);
          for (IntervalWindow w : KeyedWindows.assign(sliding, KV.of(base, kv.getValue()), period.start())) {
            out.output(KV.of(base + KeyedWindows.SEPARATOR + w.start().getMillis() + KeyedWindows.SEPARATOR + w.end().getMillis(),
                kv.getValue()));
          }
        }
      })).setCoder(coder);
    }
    return windowed.apply("SumPeriods", Combine.perKey(new BinCounts.Merge())).setCoder(coder);
  }
}
