package com.cryptoml.inference.transforms;

import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What {@link InferenceTransform} produces: prediction events and every stage's dead letters, plus the
 * validated feature updates and the model inputs that quality monitoring (drift, realized outcomes)
 * reads without running those stages twice.
 */
public final class InferenceResult implements POutput {
  public static final TupleTag<PredictionEvent> PREDICTIONS = new TupleTag<>("predictions") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};
  public static final TupleTag<FeatureUpdate> VALID_UPDATES = new TupleTag<>("validUpdates") {};
  public static final TupleTag<ModelInput> MODEL_INPUTS = new TupleTag<>("modelInputs") {};

  private final PCollection<PredictionEvent> predictions;
  private final PCollection<DeadLetter> deadLetters;
  private final PCollection<FeatureUpdate> validUpdates;
  private final PCollection<ModelInput> modelInputs;

  InferenceResult(PCollection<PredictionEvent> predictions, PCollection<DeadLetter> deadLetters,
      PCollection<FeatureUpdate> validUpdates, PCollection<ModelInput> modelInputs) {
    this.predictions = predictions;
    this.deadLetters = deadLetters;
    this.validUpdates = validUpdates;
    this.modelInputs = modelInputs;
  }

  public PCollection<PredictionEvent> output() {
    return predictions;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  public PCollection<FeatureUpdate> validUpdates() {
    return validUpdates;
  }

  public PCollection<ModelInput> modelInputs() {
    return modelInputs;
  }

  /** Valid updates, model inputs and predictions, tagged for {@code quality.Quality}. */
  public PCollectionTuple qualityInputs() {
    return PCollectionTuple.of(VALID_UPDATES, validUpdates).and(MODEL_INPUTS, modelInputs).and(PREDICTIONS, predictions);
  }

  @Override
  public Pipeline getPipeline() {
    return predictions.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(PREDICTIONS, predictions, DEAD_LETTERS, deadLetters, VALID_UPDATES, validUpdates, MODEL_INPUTS, modelInputs);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
