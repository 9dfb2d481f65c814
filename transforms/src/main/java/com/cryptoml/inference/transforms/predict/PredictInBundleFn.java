package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Batches inputs per model version within a bundle: a batch is predicted when it reaches
 * {@code batch_size}, and whatever is left when the bundle finishes. What batch pipelines use, where
 * bundles are large.
 */
final class PredictInBundleFn extends DoFn<ModelInput, PredictionEvent> {
  private final InferenceConfig config;
  private final ModelsView models;
  private final @Nullable String batchRequestId;
  private transient BatchPredictor predictor;
  private transient Map<String, List<ModelInput>> buffers;
  private transient Map<ModelInput, BoundedWindow> windows;
  private transient ActiveModels active;

  PredictInBundleFn(InferenceConfig config, ModelsView models, @Nullable String batchRequestId) {
    this.config = config;
    this.models = models;
    this.batchRequestId = batchRequestId;
  }

  @Setup
  public void setup() {
    predictor = new BatchPredictor(config, batchRequestId);
  }

  @StartBundle
  public void startBundle() {
    buffers = new HashMap<>();
    windows = new java.util.IdentityHashMap<>();
  }

  @ProcessElement
  public void process(@Element ModelInput in, BoundedWindow window, ProcessContext c, MultiOutputReceiver out) {
    active = models.read(c); // the latest view; finishBundle cannot read side inputs
    List<ModelInput> buffer = buffers.computeIfAbsent(in.servingKey(), k -> new ArrayList<>());
    buffer.add(in);
    windows.put(in, window);
    if (buffer.size() >= config.batchSize()) {
      buffers.remove(in.servingKey());
      predictor.predict(active, in.servingKey(), buffer, new BatchPredictor.Sink() {
        @Override
        public void prediction(PredictionEvent event, ModelInput input) {
          windows.remove(input);
          out.get(Predict.PREDICTIONS).outputWithTimestamp(event, new Instant(input.barMillis()));
        }

        @Override
        public void deadLetter(DeadLetter deadLetter, ModelInput input) {
          windows.remove(input);
          out.get(Predict.DEAD_LETTERS).outputWithTimestamp(deadLetter, new Instant(input.barMillis()));
        }
      });
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    for (Map.Entry<String, List<ModelInput>> e : buffers.entrySet()) {
      predictor.predict(active, e.getKey(), e.getValue(), new BatchPredictor.Sink() {
        @Override
        public void prediction(PredictionEvent event, ModelInput input) {
          c.output(Predict.PREDICTIONS, event, new Instant(input.barMillis()), windows.remove(input));
        }

        @Override
        public void deadLetter(DeadLetter deadLetter, ModelInput input) {
          c.output(Predict.DEAD_LETTERS, deadLetter, new Instant(input.barMillis()), windows.remove(input));
        }
      });
    }
    buffers.clear();
  }

  /** A full batch is emitted while a later element is processed; its rows keep their bar times. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
