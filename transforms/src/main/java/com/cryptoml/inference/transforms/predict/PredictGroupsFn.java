package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Predicts a group of one model version's inputs (one time bucket) in a fixed order, so that batch
 * composition, and with it every float the model returns, is the same on every run. TensorFlow's
 * CPU kernels are not batch-invariant: a row's outputs can differ in the last bit with the other
 * rows of its batch.
 */
final class PredictGroupsFn extends DoFn<KV<String, Iterable<ModelInput>>, PredictionEvent> {
  static final Comparator<ModelInput> ORDER = Comparator.comparingLong(ModelInput::barMillis)
      .thenComparing(ModelInput::symbol).thenComparing(ModelInput::exchange).thenComparing(ModelInput::timeframe);

  private final InferenceConfig config;
  private final ModelsView models;
  private final @Nullable String batchRequestId;
  private transient BatchPredictor predictor;

  PredictGroupsFn(InferenceConfig config, ModelsView models, @Nullable String batchRequestId) {
    this.config = config;
    this.models = models;
    this.batchRequestId = batchRequestId;
  }

  @Setup
  public void setup() {
    predictor = new BatchPredictor(config, batchRequestId);
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<ModelInput>> group, ProcessContext c, MultiOutputReceiver out) {
    List<ModelInput> inputs = new ArrayList<>();
    group.getValue().forEach(inputs::add);
    inputs.sort(ORDER);
    String servingKey = inputs.get(0).servingKey();
    predictor.predict(models.read(c), servingKey, inputs, new BatchPredictor.Sink() {
      @Override
      public void prediction(PredictionEvent event, ModelInput input) {
        out.get(Predict.PREDICTIONS).outputWithTimestamp(event, new Instant(input.barMillis()));
      }

      @Override
      public void deadLetter(DeadLetter deadLetter, ModelInput input) {
        out.get(Predict.DEAD_LETTERS).outputWithTimestamp(deadLetter, new Instant(input.barMillis()));
      }
    });
  }

  /** Groups carry the end of their bucket; each prediction keeps its own bar time. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
