package com.cryptoml.inference.transforms;

import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.history.BuildModelInputs;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.predict.Predict;
import com.cryptoml.inference.transforms.predict.PredictBatches;
import com.cryptoml.inference.transforms.validate.ValidateFeatureUpdates;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The inference path both pipelines apply unchanged: validate feature updates, keep each key's
 * lookback history, impute and route to every model of the timeframe, batch, predict and build
 * prediction events. Its input is feature updates with event time = bar close time; its output is
 * prediction events and every dead letter of every stage (and, for quality monitoring, the valid
 * updates and model inputs).
 */
public final class InferenceTransform extends PTransform<PCollection<FeatureUpdate>, InferenceResult> {

  private final InferenceConfig config;
  private final ModelsView models;
  private final PredictBatches.Batching batching;
  private final @Nullable String batchRequestId;
  private final long maxDisorderMillis;

  private InferenceTransform(InferenceConfig config, ModelsView models, PredictBatches.Batching batching,
      @Nullable String batchRequestId, long maxDisorderMillis) {
    this.config = config;
    this.models = models;
    this.batching = batching;
    this.batchRequestId = batchRequestId;
    this.maxDisorderMillis = maxDisorderMillis;
  }

  /**
   * A stream's disorder tolerance (the source's {@code --maxEventDelay}): a bar older than the newest
   * bar of its key by more than this plus the timeframe's allowed lateness is late, whether or not a
   * timer has told the key about the watermark yet.
   */
  public InferenceTransform withMaxEventDelay(java.time.Duration maxEventDelay) {
    return new InferenceTransform(config, models, batching, batchRequestId, maxEventDelay.toMillis());
  }

  /** Streaming: batches form across bundles and wait at most {@code max_batch_wait_ms}. */
  public static InferenceTransform streaming(InferenceConfig config, ModelsView models) {
    return new InferenceTransform(config, models, PredictBatches.Batching.STREAMING, null, Long.MAX_VALUE);
  }

  /**
   * Batch: batches form deterministically per model version and time bucket, so a rerun gives
   * bit-identical predictions; events carry the request id.
   */
  public static InferenceTransform batch(InferenceConfig config, ModelsView models, @Nullable String requestId) {
    return new InferenceTransform(config, models, PredictBatches.Batching.DETERMINISTIC, requestId, Long.MAX_VALUE);
  }

  @Override
  public InferenceResult expand(PCollection<FeatureUpdate> updates) {
    WithDeadLetters<FeatureUpdate> valid = updates.apply("Validate", new ValidateFeatureUpdates(config, models));
    WithDeadLetters<ModelInput> inputs = valid.output().apply("BuildModelInputs", new BuildModelInputs(config, models, maxDisorderMillis));
    WithDeadLetters<PredictionEvent> predictions = inputs.output().apply("Predict",
        new Predict(config, models, batching, batchRequestId));
    PCollection<DeadLetter> dead = PCollectionList.of(valid.deadLetters()).and(inputs.deadLetters())
        .and(predictions.deadLetters()).apply("AllDeadLetters", Flatten.pCollections());
    return new InferenceResult(predictions.output(), dead, valid.output(), inputs.output());
  }
}
