package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.values.Schemas;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.InferenceResult;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Feature drift ({@link FeatureDrift}) and prediction drift ({@link PredictionDrift}) over the same
 * sliding windows, counted in one {@link SlidingCounts}: their keys say which is which ({@link
 * #FEATURES}, {@link #PREDICTIONS}). One count instead of two: half the windowing and grouping steps
 * (on the Direct runner each step costs every bundle that passes; on Dataflow, one shuffle instead of
 * two). Apply it to a tuple with {@link InferenceResult#MODEL_INPUTS} and {@link
 * InferenceResult#PREDICTIONS}.
 */
public final class Drift extends PTransform<PCollectionTuple, PCollectionTuple> {
  /** The kind field of a feature drift key. */
  static final String FEATURES = "F";
  /** The kind field of a prediction drift key. */
  static final String PREDICTIONS = "P";

  /** PSI per model version, feature and window. */
  public static final TupleTag<FeatureDriftResult> FEATURE_DRIFT = new TupleTag<>("featureDrift") {};
  /** Prediction mix per model version and window. */
  public static final TupleTag<PredictionMix> PREDICTION_MIX = new TupleTag<>("predictionMix") {};

  private final InferenceConfig config;
  private final ModelsView models;
  private final boolean windowsInKey;

  /** @param windowsInKey a backfill's windowing ({@link KeyedWindows}); a stream uses Beam windows */
  public Drift(InferenceConfig config, ModelsView models, boolean windowsInKey) {
    this.config = config;
    this.models = models;
    this.windowsInKey = windowsInKey;
  }

  /** The kind field of a key as {@link FeatureDrift#key} and {@link PredictionDrift#key} write it. */
  static String kind(String key) {
    int tf = key.indexOf('|');
    int kind = key.indexOf('|', tf + 1) + 1;
    int end = key.indexOf('|', kind);
    int window = key.indexOf(KeyedWindows.SEPARATOR, kind);
    return key.substring(kind, end >= 0 ? end : window >= 0 ? window : key.length());
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple in) {
    Pipeline p = in.getPipeline();
    KvCoder<String, int[]> bins = KvCoder.of(StringUtf8Coder.of(), BinCounts.BinsCoder.of());
    PCollection<KV<String, int[]>> features = in.get(InferenceResult.MODEL_INPUTS)
        .apply("BinByTrainingHistogram", ParDo.of(new FeatureDrift.BinFn(models)).withSideInputs(models.view()))
        .setCoder(bins);
    PCollection<KV<String, int[]>> predictions = in.get(InferenceResult.PREDICTIONS)
        .apply("ClassAndPeriod", ParDo.of(new PredictionDrift.ClassAndPeriodFn(config)))
        .setCoder(bins);
    PCollectionTuple out = PCollectionList.of(features).and(predictions)
        .apply("AllObservations", Flatten.pCollections())
        .apply("CountPerWindow", new SlidingCounts(config.options().getDriftWindowBars(), config.options().getDriftPeriodBars(), windowsInKey))
        .apply("Results", ParDo.of(new ResultsFn(config, models)).withSideInputs(models.view())
            .withOutputTags(FEATURE_DRIFT, TupleTagList.of(PREDICTION_MIX)));
    out.get(FEATURE_DRIFT).setCoder(Schemas.coder(p, FeatureDriftResult.class));
    out.get(PREDICTION_MIX).setCoder(Schemas.coder(p, PredictionMix.class));
    return out;
  }

  static final class ResultsFn extends DoFn<KV<String, BinCounts>, FeatureDriftResult> {
    private final InferenceConfig config;
    private final ModelsView models;

    ResultsFn(InferenceConfig config, ModelsView models) {
      this.config = config;
      this.models = models;
    }

    @ProcessElement
    public void process(ProcessContext c, BoundedWindow window) {
      KV<String, BinCounts> counts = c.element();
      switch (kind(counts.getKey())) {
        case FEATURES -> {
          ActiveModels active = models.read(c);
          FeatureDrift.results(counts, window, active, config, r -> c.output(FEATURE_DRIFT, r));
        }
        case PREDICTIONS -> PredictionDrift.results(counts, window, config, m -> c.output(PREDICTION_MIX, m));
        default -> throw new IllegalStateException("not a drift key: " + counts.getKey());
      }
    }
  }
}
