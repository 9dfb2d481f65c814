package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.InferenceResult;
import com.cryptoml.inference.transforms.values.Schemas;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.grouping.GroupBuckets;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Joins each prediction with what happened over the model's horizon ({@code horizon_bars} in its
 * metadata), per symbol, exchange and timeframe. The realized return is the sum of the one-bar log
 * returns ({@code outcome_return_feature}) of the next {@code horizon} bars; it is long (1) above
 * {@code outcome_band} x the predicted bar's volatility ({@code outcome_volatility_feature}) x
 * sqrt(horizon), short (-1) below minus that, neutral (0) between. Volatility models predict expansion
 * instead: 1 when the horizon's realized volatility exceeds the predicted bar's, else 0.
 *
 * <p>A stream joins in state per symbol, exchange and timeframe ({@link JoinOutcomes}): a prediction
 * resolves as soon as the last bar of its horizon arrives. A backfill's input is complete and in no
 * order, so it groups by (key, horizon, bucket of {@link #BATCH_BUCKET_BARS} predicted bars, {@link
 * GroupBuckets}) and resolves each group at once. Predictions whose horizon bars did not all arrive count in {@code
 * outcomes_expired}. The rule itself is {@link OutcomeRule}.
 */
public final class RealizedOutcomes extends PTransform<PCollectionTuple, PCollection<Outcome>> {
  private final InferenceConfig config;
  private final ModelsView models;
  private final boolean windowsInKey;

  /** @param windowsInKey a backfill: group by buckets of bars in the global window; a stream joins in state */
  public RealizedOutcomes(InferenceConfig config, ModelsView models, boolean windowsInKey) {
    this.config = config;
    this.models = models;
    this.windowsInKey = windowsInKey;
  }

  /** Predicted bars per group in a backfill. */
  static final int BATCH_BUCKET_BARS = 512;

  /** Backfill: {@code symbol|exchange|timeframe|horizon|b:<bucket of predicted bars>}. */
  static String bucketKey(String symbol, String exchange, String timeframe, long target, int horizon, long barMillis) {
    return symbol + "|" + exchange + "|" + timeframe + "|" + horizon + "|b:" + Math.floorDiv(target, BATCH_BUCKET_BARS * barMillis);
  }

  static long windowEnd(long target, int horizon, long barMillis) {
    return target + (horizon + 1L) * barMillis;
  }

  @Override
  public PCollection<Outcome> expand(PCollectionTuple in) {
    KvCoder<String, OutcomePart> coder = KvCoder.of(StringUtf8Coder.of(), OutcomePart.Coder.of());
    PCollection<KV<String, OutcomePart>> fromBars = in.get(InferenceResult.VALID_UPDATES)
        .apply("BarReturns", ParDo.of(new BarPartsFn(config, models, windowsInKey)).withSideInputs(models.view()))
        .setCoder(coder);
    PCollection<KV<String, OutcomePart>> fromPredictions = in.get(InferenceResult.PREDICTIONS)
        .apply("PredictionsAtTheirBars", ParDo.of(new PredictionPartsFn(models, windowsInKey)).withSideInputs(models.view()))
        .setCoder(coder);
    PCollection<KV<String, OutcomePart>> parts = PCollectionList.of(fromBars).and(fromPredictions)
        .apply("AllParts", Flatten.pCollections());
    if (!windowsInKey) {
      return InGlobalWindow.of("Global", parts).apply("JoinOutcomes", new JoinOutcomes(config));
    }
    return parts.apply("GatherBuckets", GroupBuckets.create()).apply("Resolve", ParDo.of(new ResolveFn(config)))
        .setCoder(Schemas.coder(in.getPipeline(), Outcome.class));
  }

  /**
   * A stream: the bar's return and volatility as one part. A backfill: the return, sent to the bucket of
   * each earlier bar whose horizon it falls in, and the volatility, to its own.
   */
  static final class BarPartsFn extends DoFn<FeatureUpdate, KV<String, OutcomePart>> {
    private final InferenceConfig config;
    private final ModelsView models;
    private final boolean buckets;

    BarPartsFn(InferenceConfig config, ModelsView models, boolean buckets) {
      this.config = config;
      this.models = models;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      FeatureUpdate u = c.element();
      Timeframe tf = Timeframe.of(u.getTimeframe());
      TreeSet<Integer> horizons = new TreeSet<>();
      for (ActiveModels.Entry e : models.read(c).routedTo(tf)) {
        if (e.metadata().horizonBars() >= 1) {
          horizons.add(e.metadata().horizonBars());
        }
      }
      if (horizons.isEmpty()) {
        return;
      }
      Double ret = u.getFeatures().get(config.options().getOutcomeReturnFeature());
      Double vol = config.options().getOutcomeVolatilityFeature().isEmpty() ? null : u.getFeatures().get(config.options().getOutcomeVolatilityFeature());
      long bar = tf.barLength().toMillis();
      long t = u.getTimestamp().getMillis();
      String sym = u.getSymbol();
      String ex = u.getExchange();
      String code = u.getTimeframe();
      if (!buckets) { // a stream: one part per bar, joined in state
        c.output(KV.of(sym + "|" + ex + "|" + code, OutcomePart.bar(t, ret == null ? Double.NaN : ret, vol == null ? Double.NaN : vol)));
        return;
      }
      for (int h : horizons) {
        if (vol != null && Double.isFinite(vol)) {
          c.output(KV.of(bucketKey(sym, ex, code, t, h, bar), OutcomePart.volatility(t, windowEnd(t, h, bar), vol)));
        }
        if (ret == null || !Double.isFinite(ret)) {
          continue;
        }
        String lastBucket = null;
        for (int k = 1; k <= h; k++) { // the buckets of the bars whose horizon this one is in
          long target = t - k * bar;
          String bucket = bucketKey(sym, ex, code, target, h, bar);
          if (!bucket.equals(lastBucket)) {
            lastBucket = bucket;
            c.output(KV.of(bucket, OutcomePart.ret(target, windowEnd(target, h, bar), t, ret)));
          }
        }
      }
    }
  }

  static final class PredictionPartsFn extends DoFn<PredictionEvent, KV<String, OutcomePart>> {
    private final ModelsView models;
    private final boolean buckets;

    PredictionPartsFn(ModelsView models, boolean buckets) {
      this.models = models;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      PredictionEvent p = c.element();
      ActiveModels.Entry e = models.read(c).find(p.getModelId() + ":" + p.getRegistryVersion());
      if (e == null || e.metadata().horizonBars() < 1) {
        return;
      }
      int h = e.metadata().horizonBars();
      long t = p.getFeatureTimestamp().getMillis();
      long bar = Timeframe.of(p.getTimeframe()).barLength().toMillis();
      Map<String, Double> probs = p.getProbabilities();
      c.output(KV.of(buckets ? bucketKey(p.getSymbol(), p.getExchange(), p.getTimeframe(), t, h, bar)
              : p.getSymbol() + "|" + p.getExchange() + "|" + p.getTimeframe(),
          OutcomePart.prediction(t, windowEnd(t, h, bar), p.getModelId(), p.getModelVersion(), p.getRegistryVersion(),
              p.getModelType(), p.getPrediction(), p.getConfidence(), probs.getOrDefault("short", Double.NaN),
              probs.getOrDefault("neutral", Double.NaN), probs.getOrDefault("long", Double.NaN))));
    }
  }

  static final class ResolveFn extends DoFn<KV<String, Iterable<OutcomePart>>, Outcome> {
    private final InferenceConfig config;

    ResolveFn(InferenceConfig config) {
      this.config = config;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<OutcomePart>> group, OutputReceiver<Outcome> out) {
      String[] key = group.getKey().split("\\|");
      int horizon = Integer.parseInt(key[3]);
      long bar = Timeframe.of(key[2]).barLength().toMillis();
      Map<Long, Double> returns = new HashMap<>();
      Map<Long, Double> vols = new HashMap<>();
      List<OutcomePart> predictions = new ArrayList<>();
      for (OutcomePart p : group.getValue()) {
        switch (p.kind) {
          case OutcomePart.RETURN -> returns.putIfAbsent(p.bar, p.value);
          case OutcomePart.VOLATILITY -> vols.putIfAbsent(p.target, p.value);
          default -> predictions.add(p);
        }
      }
      for (OutcomePart p : predictions) {
        Outcome o = OutcomeRule.resolve(p, horizon, bar, returns::get, vols.get(p.target), config, key[0], key[1], key[2]);
        if (o == null) {
          InferenceMetrics.counter(InferenceMetrics.OUTCOMES_EXPIRED).inc();
        } else {
          InferenceMetrics.counter(InferenceMetrics.OUTCOMES + p.modelId).inc();
          out.output(o);
        }
      }
    }

  }
}
