package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.coders.CompactSchemaCoder;
import com.cryptoml.inference.transforms.config.MonitoringConfig;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Prediction drift per model version: the mix of short, neutral and long predictions over the same
 * sliding windows as feature drift, and the PSI of the window's latest period against the rest of it.
 * A model that starts calling everything long shows here before its accuracy can be known.
 */
public final class PredictionDrift extends PTransform<PCollection<PredictionEvent>, PCollection<PredictionMix>> {
  private final MonitoringConfig config;
  private final boolean windowsInKey;

  /** @param windowsInKey a backfill's windowing ({@link KeyedWindows}); a stream uses Beam windows */
  public PredictionDrift(MonitoringConfig config, boolean windowsInKey) {
    this.config = config;
    this.windowsInKey = windowsInKey;
  }

  /** Periods per window: the window's periods map onto distinct slots by their number modulo this. */
  int periodsPerWindow() {
    return (config.driftWindowBars() + config.driftPeriodBars() - 1) / config.driftPeriodBars();
  }

  static int classBin(int prediction) {
    return prediction + 1; // -1, 0, 1 -> 0, 1, 2
  }

  @Override
  public PCollection<PredictionMix> expand(PCollection<PredictionEvent> predictions) {
    int k = periodsPerWindow();
    int periodBars = config.driftPeriodBars();
    return predictions
        .apply("ClassAndPeriod", ParDo.of(new DoFn<PredictionEvent, KV<String, int[]>>() {
          @ProcessElement
          public void process(@Element PredictionEvent e, OutputReceiver<KV<String, int[]>> out) {
            long period = periodBars * Timeframe.of(e.getTimeframe()).barLength().toMillis();
            long n = Math.floorDiv(e.getFeatureTimestamp().getMillis(), period);
            // slot 0: the whole window; slot 1 + (period number mod k): that period; -1: not counted
            int[] bins = new int[k + 1];
            java.util.Arrays.fill(bins, -1);
            bins[0] = classBin(e.getPrediction());
            bins[1 + (int) Math.floorMod(n, (long) k)] = bins[0];
            out.output(KV.of(e.getModelId() + ":" + e.getRegistryVersion() + "|" + e.getTimeframe() + "|" + e.getModelVersion(), bins));
          }
        }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), BinCounts.BinsCoder.of()))
        .apply("CountPerWindow", new SlidingCounts(config.driftWindowBars(), periodBars, windowsInKey))
        .apply("Mix", ParDo.of(new MixFn(k, periodBars))).setCoder(CompactSchemaCoder.of(predictions.getPipeline(), PredictionMix.class));
  }

  static final class MixFn extends DoFn<KV<String, BinCounts>, PredictionMix> {
    private final int k;
    private final int periodBars;

    MixFn(int k, int periodBars) {
      this.k = k;
      this.periodBars = periodBars;
    }

    @ProcessElement
    public void process(ProcessContext c, BoundedWindow window) {
      IntervalWindow w = KeyedWindows.window(c.element().getKey(), window);
      String[] key = KeyedWindows.baseKey(c.element().getKey()).split("\\|");
      String[] serving = key[0].split(":");
      BinCounts counts = c.element().getValue();
      long[] all = counts.slot(0, 3);
      long period = periodBars * Timeframe.of(key[1]).barLength().toMillis();
      long lastPeriod = Math.floorDiv(w.end().getMillis() - 1, period);
      long[] last = counts.slot(1 + (int) Math.floorMod(lastPeriod, (long) k), 3);
      long[] rest = {all[0] - last[0], all[1] - last[1], all[2] - last[2]};
      long lastTotal = last[0] + last[1] + last[2];
      long restTotal = rest[0] + rest[1] + rest[2];
      c.output(PredictionMix.builder().setModelId(serving[0]).setRegistryVersion(serving[1]).setTimeframe(key[1])
          .setModelVersion(key[2]).setWindowStart(w.start()).setWindowEnd(w.end())
          .setPredictions(all[0] + all[1] + all[2]).setShort(all[0]).setNeutral(all[1]).setLong(all[2])
          .setLastPeriodPredictions(lastTotal)
          .setLastPeriodPsi(lastTotal == 0 || restTotal == 0 ? null : Math.round(Psi.of(rest, last) * 1e6) / 1e6)
          .build());
    }
  }
}
