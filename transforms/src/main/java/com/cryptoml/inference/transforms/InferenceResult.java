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
public record InferenceResult(PCollection<PredictionEvent> output, PCollection<DeadLetter> deadLetters,
    PCollection<FeatureUpdate> validUpdates, PCollection<ModelInput> modelInputs) implements POutput {
  public static final TupleTag<PredictionEvent> PREDICTIONS = new TupleTag<>("predictions") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};
  public static final TupleTag<FeatureUpdate> VALID_UPDATES = new TupleTag<>("validUpdates") {};
  public static final TupleTag<ModelInput> MODEL_INPUTS = new TupleTag<>("modelInputs") {};

  /** Valid updates, model inputs and predictions, tagged for {@code quality.Quality}. */
  public PCollectionTuple qualityInputs() {
    return PCollectionTuple.of(VALID_UPDATES, validUpdates).and(MODEL_INPUTS, modelInputs).and(PREDICTIONS, output);
  }

  @Override
  public Pipeline getPipeline() {
    return output.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(PREDICTIONS, output, DEAD_LETTERS, deadLetters, VALID_UPDATES, validUpdates, MODEL_INPUTS, modelInputs);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
