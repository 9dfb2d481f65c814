package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Predicts a group of one model version's inputs (one time bucket) in a fixed order, so that batch
 * composition, and with it every float the model returns, is the same on every run: TensorFlow's CPU
 * kernels are not batch-invariant, and a row's outputs can differ in the last bit with the other rows
 * of its batch. A group carries its earliest input's timestamp ({@code GroupBuckets}), so each
 * prediction keeps its own bar time.
 */
public final class PredictGroupsFn extends DoFn<KV<String, Iterable<ModelInput>>, PredictionEvent> {
  public static final Comparator<ModelInput> ORDER = Comparator.comparingLong(ModelInput::barMillis)
      .thenComparing(ModelInput::symbol).thenComparing(ModelInput::exchange).thenComparing(ModelInput::timeframe);

  private final BatchPredictor predictor;
  private final ModelsView models;

  PredictGroupsFn(BatchPredictor predictor, ModelsView models) {
    this.predictor = predictor;
    this.models = models;
  }

  @Setup
  public void setup() {
    predictor.open();
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<ModelInput>> group, ProcessContext c, MultiOutputReceiver out) {
    List<ModelInput> inputs = new ArrayList<>();
    group.getValue().forEach(inputs::add);
    inputs.sort(ORDER);
    predictor.predict(models.read(c), inputs.get(0).servingKey(), inputs, BatchPredictor.Sink.outputsAt(out, c.timestamp()));
  }
}
