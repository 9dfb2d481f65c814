package com.cryptoml.inference.transforms;

import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.history.BuildModelInputs;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.predict.Predict;
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
  private final Predict.Batching batching;
  private final @Nullable String batchRequestId;
  private final long maxDisorderMillis;
  private final int stateShards;

  private InferenceTransform(InferenceConfig config, ModelsView models, Predict.Batching batching,
      @Nullable String batchRequestId, long maxDisorderMillis, int stateShards) {
    this.config = config;
    this.models = models;
    this.batching = batching;
    this.batchRequestId = batchRequestId;
    this.maxDisorderMillis = maxDisorderMillis;
    this.stateShards = stateShards;
  }

  /**
   * A stream's disorder tolerance (the source's {@code --maxEventDelay}): a bar older than the newest
   * bar of its key by more than this plus the timeframe's allowed lateness is late, whether or not a
   * timer has told the key about the watermark yet.
   */
  public InferenceTransform withMaxEventDelay(java.time.Duration maxEventDelay) {
    return new InferenceTransform(config, models, batching, batchRequestId, maxEventDelay.toMillis(), stateShards);
  }

  /**
   * The lookback history's state in {@code shards} keys, each holding many series (0, the default: a
   * key per series). See {@link com.cryptoml.inference.transforms.sharding.StateShards}.
   */
  public InferenceTransform withStateShards(int shards) {
    return new InferenceTransform(config, models, batching, batchRequestId, maxDisorderMillis, shards);
  }

  /**
   * Streaming: with {@code max_batch_wait_ms > 0} batches form across bundles with that bounded wait
   * (runners whose streaming bundles are tiny: Dataflow); with 0 they form within bundles, which under
   * load hold many elements and when idle hold one, so nothing ever waits (the Direct runner, whose
   * processing-time timers are costly).
   */
  public static InferenceTransform streaming(InferenceConfig config, ModelsView models) {
    return new InferenceTransform(config, models,
        config.maxBatchWaitMs() > 0 ? Predict.Batching.ACROSS_BUNDLES : Predict.Batching.WITHIN_BUNDLE, null, Long.MAX_VALUE, 0);
  }

  /**
   * Batch: batches form deterministically per model version and time bucket, so a rerun gives
   * bit-identical predictions; events carry the request id.
   */
  public static InferenceTransform batch(InferenceConfig config, ModelsView models, @Nullable String requestId) {
    return new InferenceTransform(config, models, Predict.Batching.DETERMINISTIC, requestId, Long.MAX_VALUE, 0);
  }

  /** Any batching mode, e.g. {@link Predict.Batching#WITHIN_BUNDLE} for raw throughput. */
  public static InferenceTransform withBatching(InferenceConfig config, ModelsView models,
      Predict.Batching batching, @Nullable String requestId) {
    return new InferenceTransform(config, models, batching, requestId, Long.MAX_VALUE, 0);
  }

  @Override
  public InferenceResult expand(PCollection<FeatureUpdate> updates) {
    WithDeadLetters<FeatureUpdate> valid = updates.apply("Validate", new ValidateFeatureUpdates(config, models));
    WithDeadLetters<ModelInput> inputs = valid.output().apply("BuildModelInputs", new BuildModelInputs(config, models, maxDisorderMillis, stateShards));
    WithDeadLetters<PredictionEvent> predictions = inputs.output().apply("Predict",
        new Predict(config, models, batching, batchRequestId));
    PCollection<DeadLetter> dead = PCollectionList.of(valid.deadLetters()).and(inputs.deadLetters())
        .and(predictions.deadLetters()).apply("AllDeadLetters", Flatten.pCollections());
    return new InferenceResult(predictions.output(), dead, valid.output(), inputs.output());
  }
}
