package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.ShardedKey;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Predicts batches formed across bundles by {@code GroupIntoBatches} (streaming). A batch carries its
 * earliest input's timestamp, so each prediction keeps its own bar time.
 */
final class PredictBatchesFn extends DoFn<KV<ShardedKey<String>, Iterable<ModelInput>>, PredictionEvent> {
  private final BatchPredictor predictor;
  private final ModelsView models;

  PredictBatchesFn(BatchPredictor predictor, ModelsView models) {
    this.predictor = predictor;
    this.models = models;
  }

  @Setup
  public void setup() {
    predictor.open();
  }

  @ProcessElement
  public void process(@Element KV<ShardedKey<String>, Iterable<ModelInput>> batch, ProcessContext c, MultiOutputReceiver out) {
    Instant floor = c.timestamp();
    List<ModelInput> inputs = new ArrayList<>();
    batch.getValue().forEach(inputs::add);
    predictor.predict(models.read(c), batch.getKey().getKey(), inputs, new BatchPredictor.Sink() {
      @Override
      public void prediction(PredictionEvent event, ModelInput input) {
        out.get(Predict.PREDICTIONS).outputWithTimestamp(event, at(input, floor));
      }

      @Override
      public void deadLetter(DeadLetter deadLetter, ModelInput input) {
        out.get(Predict.DEAD_LETTERS).outputWithTimestamp(deadLetter, at(input, floor));
      }
    });
  }

  /** The input's bar time, never before the batch's own timestamp. */
  private static Instant at(ModelInput input, Instant floor) {
    Instant bar = new Instant(input.barMillis());
    return bar.isBefore(floor) ? floor : bar;
  }
}
