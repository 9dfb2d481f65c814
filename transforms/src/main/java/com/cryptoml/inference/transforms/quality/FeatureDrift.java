package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.Histogram;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.ModelInput;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Feature drift per model version and feature: the current bar of every model input is binned by the
 * training histogram in the model's metadata, counted over sliding windows of {@code
 * drift_window_bars} bars (sliding every {@code drift_period_bars}), and each window's distribution is
 * compared with the training one by its population stability index. Imputed values are left out: they
 * are the training mean or an older bar, not an observation. Windows with fewer than {@code
 * drift_min_samples} observations give no result. {@link Drift} counts these observations together
 * with {@link PredictionDrift}'s.
 */
final class FeatureDrift {
  private FeatureDrift() {}

  /** {@code modelId:registryVersion|timeframe|F}. */
  static String key(String servingKey, String timeframe) {
    return servingKey + "|" + timeframe + "|" + Drift.FEATURES;
  }

  /** The timeframe of a drift key, as {@link #key} and {@link PredictionDrift#key} write it. */
  static final class KeyTimeframe<V> implements SerializableFunction<KV<String, V>, String> {
    @Override
    public String apply(KV<String, V> kv) {
      String k = kv.getKey();
      int bar = k.indexOf('|');
      int next = k.indexOf('|', bar + 1);
      return next < 0 ? k.substring(bar + 1) : k.substring(bar + 1, next);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyTimeframe;
    }

    @Override
    public int hashCode() {
      return KeyTimeframe.class.hashCode();
    }
  }

  static final class BinFn extends DoFn<ModelInput, KV<String, int[]>> {
    private final ModelsView models;

    BinFn(ModelsView models) {
      this.models = models;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      ModelInput in = c.element();
      ActiveModels.Entry e = models.read(c).find(in.servingKey());
      if (e == null || e.metadata().histograms().isEmpty()) {
        return;
      }
      ModelMetadata md = e.metadata();
      List<String> features = md.features();
      int current = (md.lookback() - 1) * features.size();
      int[] bins = new int[features.size()];
      for (int j = 0; j < bins.length; j++) {
        Histogram h = md.histograms().get(features.get(j));
        double v = in.values()[current + j];
        bins[j] = h == null || Double.isNaN(v) || in.imputed().contains(features.get(j)) ? -1 : h.binOf(v);
      }
      c.output(KV.of(key(in.servingKey(), in.timeframe()), bins));
    }
  }

  /**
   * Each feature's PSI in a window of {@code counts} (keyed by {@link #key}, the window in the key or
   * {@code window}); nothing for a version replaced while the window filled.
   */
  static void results(KV<String, BinCounts> counts, BoundedWindow window, ActiveModels active, InferenceConfig config,
      Consumer<FeatureDriftResult> out) {
    String key = KeyedWindows.baseKey(counts.getKey());
    ActiveModels.Entry e = active.find(key.substring(0, key.indexOf('|')));
    if (e == null) {
      return;
    }
    IntervalWindow w = KeyedWindows.window(counts.getKey(), window);
    ModelMetadata md = e.metadata();
    boolean drifted = false;
    for (int j = 0; j < md.features().size(); j++) {
      String feature = md.features().get(j);
      Histogram h = md.histograms().get(feature);
      long samples = counts.getValue().total(j);
      if (h == null || samples < config.options().getDriftMinSamples()) {
        continue;
      }
      double psi = Psi.of(h.fractions(), counts.getValue().slot(j, h.bins()));
      InferenceMetrics.gauge(InferenceMetrics.FEATURE_PSI + e.modelId() + ":" + feature).set(Math.round(psi * 1000));
      FeatureDriftResult r = FeatureDriftResult.builder().setModelId(e.modelId()).setModelVersion(e.version().versionLabel())
          .setRegistryVersion(e.version().version()).setTimeframe(md.timeframe().code()).setFeature(feature)
          .setWindowStart(w.start()).setWindowEnd(w.end()).setSamples(samples)
          .setPsi(Math.round(psi * 1e6) / 1e6).setThreshold(config.options().getDriftPsiThreshold()).build();
      drifted |= r.drifted();
      out.accept(r);
    }
    if (drifted) {
      InferenceMetrics.counter(InferenceMetrics.DRIFT_ALERTS + e.modelId()).inc();
    }
  }
}
