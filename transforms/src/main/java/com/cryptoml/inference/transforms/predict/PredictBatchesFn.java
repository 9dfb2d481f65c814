package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.ShardedKey;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Predicts batches formed across bundles by {@code GroupIntoBatches} (streaming). */
final class PredictBatchesFn extends DoFn<KV<ShardedKey<String>, Iterable<ModelInput>>, PredictionEvent> {
  private final InferenceConfig config;
  private final ModelsView models;
  private final @Nullable String batchRequestId;
  private transient BatchPredictor predictor;

  PredictBatchesFn(InferenceConfig config, ModelsView models, @Nullable String batchRequestId) {
    this.config = config;
    this.models = models;
    this.batchRequestId = batchRequestId;
  }

  @Setup
  public void setup() {
    predictor = new BatchPredictor(config, batchRequestId);
  }

  @ProcessElement
  public void process(@Element KV<ShardedKey<String>, Iterable<ModelInput>> batch, ProcessContext c, MultiOutputReceiver out) {
    List<ModelInput> inputs = new ArrayList<>();
    batch.getValue().forEach(inputs::add);
    predictor.predict(models.read(c), batch.getKey().getKey(), inputs, new BatchPredictor.Sink() {
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

  /** A batch carries the earliest bar's timestamp; each prediction keeps its own bar time. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
