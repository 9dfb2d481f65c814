package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Prediction drift per model version: the mix of short, neutral and long predictions over the same
 * sliding windows as feature drift, and the PSI of the window's latest period against the rest of it.
 * A model that starts calling everything long shows here before its accuracy can be known. {@link
 * Drift} counts these observations together with {@link FeatureDrift}'s.
 */
final class PredictionDrift {
  private PredictionDrift() {}

  /** {@code modelId:registryVersion|timeframe|P|modelVersion}. */
  static String key(String servingKey, String timeframe, String modelVersion) {
    return servingKey + "|" + timeframe + "|" + Drift.PREDICTIONS + "|" + modelVersion;
  }

  /** Periods per window: the window's periods map onto distinct slots by their number modulo this. */
  static int periodsPerWindow(InferenceConfig config) {
    return (config.options().getDriftWindowBars() + config.options().getDriftPeriodBars() - 1) / config.options().getDriftPeriodBars();
  }

  static int classBin(int prediction) {
    return prediction + 1; // -1, 0, 1 -> 0, 1, 2
  }

  /** A prediction as its class, counted in the whole window (slot 0) and in its period's slot. */
  static final class ClassAndPeriodFn extends DoFn<PredictionEvent, KV<String, int[]>> {
    private final int k;
    private final int periodBars;

    ClassAndPeriodFn(InferenceConfig config) {
      this.k = periodsPerWindow(config);
      this.periodBars = config.options().getDriftPeriodBars();
    }

    @ProcessElement
    public void process(@Element PredictionEvent e, OutputReceiver<KV<String, int[]>> out) {
      long period = periodBars * Timeframe.of(e.getTimeframe()).barLength().toMillis();
      long n = Math.floorDiv(e.getFeatureTimestamp().getMillis(), period);
      // slot 0: the whole window; slot 1 + (period number mod k): that period; -1: not counted
      int[] bins = new int[k + 1];
      Arrays.fill(bins, -1);
      bins[0] = classBin(e.getPrediction());
      bins[1 + (int) Math.floorMod(n, (long) k)] = bins[0];
      out.output(KV.of(key(e.getModelId() + ":" + e.getRegistryVersion(), e.getTimeframe(), e.getModelVersion()), bins));
    }
  }

  /** The mix in a window of {@code counts} (keyed by {@link #key}, the window in the key or {@code window}). */
  static void results(KV<String, BinCounts> counts, BoundedWindow window, InferenceConfig config, Consumer<PredictionMix> out) {
    int k = periodsPerWindow(config);
    IntervalWindow w = KeyedWindows.window(counts.getKey(), window);
    String[] key = KeyedWindows.baseKey(counts.getKey()).split("\\|", 4);
    String[] serving = key[0].split(":");
    long[] all = counts.getValue().slot(0, 3);
    long period = config.options().getDriftPeriodBars() * Timeframe.of(key[1]).barLength().toMillis();
    long lastPeriod = Math.floorDiv(w.end().getMillis() - 1, period);
    long[] last = counts.getValue().slot(1 + (int) Math.floorMod(lastPeriod, (long) k), 3);
    long[] rest = {all[0] - last[0], all[1] - last[1], all[2] - last[2]};
    long lastTotal = last[0] + last[1] + last[2];
    long restTotal = rest[0] + rest[1] + rest[2];
    out.accept(PredictionMix.builder().setModelId(serving[0]).setRegistryVersion(serving[1]).setTimeframe(key[1])
        .setModelVersion(key[3]).setWindowStart(w.start()).setWindowEnd(w.end())
        .setPredictions(all[0] + all[1] + all[2]).setShort(all[0]).setNeutral(all[1]).setLong(all[2])
        .setLastPeriodPredictions(lastTotal)
        .setLastPeriodPsi(lastTotal == 0 || restTotal == 0 ? null : Math.round(Psi.of(rest, last) * 1e6) / 1e6)
        .build());
  }
}
