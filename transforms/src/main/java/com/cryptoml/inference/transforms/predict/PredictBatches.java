package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.grouping.GroupBuckets;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.cryptoml.inference.transforms.values.Schemas;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The batching composite in front of the model: model inputs grouped per model version into batches
 * of up to {@code batch_size}, each predicted by one {@link BatchPredictor} call.
 *
 * <ul>
 *   <li>{@link Batching#STREAMING}: {@code GroupIntoBatches} with sharded keys forms batches across
 *       bundles and flushes a partial batch after {@code max_batch_wait_ms}, so latency stays well
 *       inside {@code prediction_timeout_ms}.
 *   <li>{@link Batching#DETERMINISTIC}: inputs are grouped per model version and time bucket
 *       ({@link GroupBuckets}) and predicted in a fixed order, so a rerun gives bit-identical outputs
 *       (backfills).
 * </ul>
 */
public final class PredictBatches extends PTransform<PCollection<ModelInput>, WithDeadLetters<PredictionEvent>> {
  /** Where batches form. */
  public enum Batching {
    STREAMING,
    DETERMINISTIC
  }

  /**
   * Bars of one timeframe per deterministic group: a year of 1m bars is 128 groups per model version,
   * and a group is at most a few thousand rows per symbol and exchange.
   */
  static final int BUCKET_BARS = 4096;

  private final InferenceConfig config;
  private final ModelsView models;
  private final Batching batching;
  private final @Nullable String batchRequestId;

  public PredictBatches(InferenceConfig config, ModelsView models, Batching batching, @Nullable String batchRequestId) {
    this.config = config;
    this.models = models;
    this.batching = batching;
    this.batchRequestId = batchRequestId;
  }

  public Batching batching() {
    return batching;
  }

  /** What predicts each batch, for runners that form batches their own way. */
  public BatchPredictor predictor() {
    return new BatchPredictor(config, batchRequestId);
  }

  public ModelsView models() {
    return models;
  }

  public InferenceConfig config() {
    return config;
  }

  /** Model version and a bucket of {@link #BUCKET_BARS} bars of the input's timeframe. */
  static String bucketKey(ModelInput in) {
    long bucket = Math.floorDiv(in.barMillis(), BUCKET_BARS * Timeframe.of(in.timeframe()).barLength().toMillis());
    return in.servingKey() + "|" + in.timeframe() + "|" + bucket;
  }

  @Override
  public WithDeadLetters<PredictionEvent> expand(PCollection<ModelInput> inputs) {
    PCollectionTuple out;
    if (batching == Batching.STREAMING) {
      out = inputs
          .apply("KeyByModelVersion", WithKeys.of((ModelInput in) -> in.servingKey()).withKeyType(TypeDescriptors.strings()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ModelInput.Coder.of()))
          .apply("GroupIntoBatches", GroupIntoBatches.<String, ModelInput>ofSize(config.options().getBatchSize())
              .withMaxBufferingDuration(Duration.millis(config.options().getMaxBatchWaitMs()))
              .withShardedKey())
          .apply("PredictBatches", ParDo.of(new PredictBatchesFn(predictor(), models))
              .withSideInputs(models.view()).withOutputTags(Predict.PREDICTIONS, TupleTagList.of(Predict.DEAD_LETTERS)));
    } else {
      out = inputs
          .apply("KeyByModelVersionAndBucket", WithKeys.of(PredictBatches::bucketKey).withKeyType(TypeDescriptors.strings()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ModelInput.Coder.of()))
          .apply("GroupByBucket", GroupBuckets.create())
          .apply("PredictGroups", ParDo.of(new PredictGroupsFn(predictor(), models))
              .withSideInputs(models.view()).withOutputTags(Predict.PREDICTIONS, TupleTagList.of(Predict.DEAD_LETTERS)));
    }
    return WithDeadLetters.of(Predict.PREDICTIONS, out.get(Predict.PREDICTIONS).setCoder(Schemas.coder(inputs.getPipeline(), PredictionEvent.class)),
        Predict.DEAD_LETTERS, out.get(Predict.DEAD_LETTERS));
  }
}
