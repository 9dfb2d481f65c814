package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.Histogram;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.transforms.coders.CompactSchemaCoder;
import com.cryptoml.inference.transforms.config.MonitoringConfig;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.ModelInput;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Feature drift per model version and feature: the current bar of every model input is binned by the
 * training histogram in the model's metadata, counted over sliding windows of {@code
 * drift_window_bars} bars (sliding every {@code drift_period_bars}), and each window's distribution is
 * compared with the training one by its population stability index. Imputed values are left out: they
 * are the training mean or an older bar, not an observation. Windows with fewer than {@code
 * drift_min_samples} observations give no result.
 */
public final class FeatureDrift extends PTransform<PCollection<ModelInput>, PCollection<FeatureDriftResult>> {
  private final MonitoringConfig config;
  private final ModelsView models;
  private final boolean windowsInKey;

  /** @param windowsInKey a backfill's windowing ({@link KeyedWindows}); a stream uses Beam windows */
  public FeatureDrift(MonitoringConfig config, ModelsView models, boolean windowsInKey) {
    this.config = config;
    this.models = models;
    this.windowsInKey = windowsInKey;
  }

  /** {@code modelId:registryVersion|timeframe}. */
  static String key(String servingKey, String timeframe) {
    return servingKey + "|" + timeframe;
  }

  /** The timeframe of a key as {@link #key} writes it. */
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

  @Override
  public PCollection<FeatureDriftResult> expand(PCollection<ModelInput> inputs) {
    return inputs
        .apply("BinByTrainingHistogram", ParDo.of(new BinFn(models)).withSideInputs(models.view()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), BinCounts.BinsCoder.of()))
        .apply("CountPerWindow", new SlidingCounts(config.driftWindowBars(), config.driftPeriodBars(), windowsInKey))
        .apply("PopulationStabilityIndex", ParDo.of(new PsiFn(config, models)).withSideInputs(models.view()))
        .setCoder(CompactSchemaCoder.of(inputs.getPipeline(), FeatureDriftResult.class));
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

  static final class PsiFn extends DoFn<KV<String, BinCounts>, FeatureDriftResult> {
    private final MonitoringConfig config;
    private final ModelsView models;

    PsiFn(MonitoringConfig config, ModelsView models) {
      this.config = config;
      this.models = models;
    }

    @ProcessElement
    public void process(ProcessContext c, BoundedWindow window) {
      String key = KeyedWindows.baseKey(c.element().getKey());
      String servingKey = key.substring(0, key.indexOf('|'));
      ActiveModels.Entry e = models.read(c).find(servingKey);
      if (e == null) {
        return; // the version was replaced while the window filled
      }
      IntervalWindow w = KeyedWindows.window(c.element().getKey(), window);
      ModelMetadata md = e.metadata();
      BinCounts counts = c.element().getValue();
      boolean drifted = false;
      for (int j = 0; j < md.features().size(); j++) {
        String feature = md.features().get(j);
        Histogram h = md.histograms().get(feature);
        long samples = counts.total(j);
        if (h == null || samples < config.driftMinSamples()) {
          continue;
        }
        double psi = Psi.of(h.fractions(), counts.slot(j, h.bins()));
        InferenceMetrics.gauge(InferenceMetrics.FEATURE_PSI + e.modelId() + ":" + feature).set(Math.round(psi * 1000));
        FeatureDriftResult r = FeatureDriftResult.builder().setModelId(e.modelId()).setModelVersion(e.version().versionLabel())
            .setRegistryVersion(e.version().version()).setTimeframe(md.timeframe().code()).setFeature(feature)
            .setWindowStart(w.start()).setWindowEnd(w.end()).setSamples(samples)
            .setPsi(Math.round(psi * 1e6) / 1e6).setThreshold(config.driftPsiThreshold()).build();
        drifted |= r.drifted();
        c.output(r);
      }
      if (drifted) {
        InferenceMetrics.counter(InferenceMetrics.DRIFT_ALERTS + e.modelId()).inc();
      }
    }
  }
}
