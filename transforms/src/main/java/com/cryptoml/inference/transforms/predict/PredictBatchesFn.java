package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.ShardedKey;
import org.apache.beam.sdk.values.KV;

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
    List<ModelInput> inputs = new ArrayList<>();
    batch.getValue().forEach(inputs::add);
    predictor.predict(models.read(c), batch.getKey().getKey(), inputs, BatchPredictor.Sink.outputsAt(out, c.timestamp()));
  }
}
