package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.InferenceResult;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ModelsView;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Quality monitoring over what the inference path produced, the same in a stream and a backfill:
 * feature drift against the training histograms, prediction drift, predictions joined with their
 * realized outcomes, and accuracy per model version. Apply it to {@link InferenceResult#qualityInputs()}.
 */
public final class Quality extends PTransform<PCollectionTuple, Quality.Result> {
  private final InferenceConfig config;
  private final ModelsView models;
  private final boolean streaming;

  private Quality(InferenceConfig config, ModelsView models, boolean streaming) {
    this.config = config;
    this.models = models;
    this.streaming = streaming;
  }

  /** Accuracy as cumulative panes every {@code metrics_interval}. */
  public static Quality streaming(InferenceConfig config, ModelsView models) {
    return new Quality(config, models, true);
  }

  /** Accuracy once, over everything. */
  public static Quality batch(InferenceConfig config, ModelsView models) {
    return new Quality(config, models, false);
  }

  @Override
  public Result expand(PCollectionTuple in) {
    PCollectionTuple drift = in.apply("Drift", new Drift(config, models, !streaming));
    PCollection<Outcome> outcomes = in.apply("RealizedOutcomes", new RealizedOutcomes(config, models, !streaming));
    PCollection<ModelAccuracy> accuracy = outcomes.apply("Accuracy",
        streaming ? Accuracy.every(config.options().getMetricsInterval().duration()) : Accuracy.overall());
    return new Result(drift.get(Drift.FEATURE_DRIFT), drift.get(Drift.PREDICTION_MIX), outcomes, accuracy);
  }

  /** Drift per feature and window, prediction mix per window, outcomes, accuracy per model version. */
  public record Result(PCollection<FeatureDriftResult> featureDrift, PCollection<PredictionMix> predictionMix,
      PCollection<Outcome> outcomes, PCollection<ModelAccuracy> accuracy) implements POutput {
    private static final TupleTag<FeatureDriftResult> DRIFT = new TupleTag<>("featureDrift") {};
    private static final TupleTag<PredictionMix> MIX = new TupleTag<>("predictionMix") {};
    private static final TupleTag<Outcome> OUTCOMES = new TupleTag<>("outcomes") {};
    private static final TupleTag<ModelAccuracy> ACCURACY = new TupleTag<>("accuracy") {};

    /**
     * The same result with only the drift and prediction-mix windows that end inside (start, end]:
     * the windows a live stream would have closed during the requested range. Sliding windows that
     * reach past the end would hold ever fewer bars and chart weeks past what was asked; a window
     * that starts before the range holds only bars of the range and is judged by drift_min_samples.
     */
    public Result windowsEndingWithin(org.joda.time.Instant start, org.joda.time.Instant end) {
      PCollection<FeatureDriftResult> drift = featureDrift.apply("DriftWindowsInRange",
          Filter.by((FeatureDriftResult d) -> d.getWindowEnd().isAfter(start) && !d.getWindowEnd().isAfter(end)));
      PCollection<PredictionMix> mix = predictionMix.apply("MixWindowsInRange",
          Filter.by((PredictionMix m) -> m.getWindowEnd().isAfter(start) && !m.getWindowEnd().isAfter(end)));
      return new Result(drift, mix, outcomes, accuracy);
    }

    @Override
    public Pipeline getPipeline() {
      return featureDrift.getPipeline();
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(DRIFT, featureDrift, MIX, predictionMix, OUTCOMES, outcomes, ACCURACY, accuracy);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
