package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.transforms.coders.CompactSchemaCoder;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.ResourceHintSpec;
import com.cryptoml.inference.transforms.grouping.GroupInPacks;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Model inputs to prediction events, batched up to {@code batch_size} per model version.
 *
 * <ul>
 *   <li>{@link Batching#DETERMINISTIC}: inputs are grouped per model version and time bucket and
 *       predicted in a fixed order, so reruns give bit-identical outputs (batch backfills).
 *   <li>{@link Batching#WITHIN_BUNDLE}: batches form inside a bundle; fastest, but batch composition
 *       (and so the last bit of a float) depends on bundling.
 *   <li>{@link Batching#ACROSS_BUNDLES}: {@code GroupIntoBatches} with sharded keys forms batches
 *       across bundles and flushes a partial batch after {@code maxBatchWaitMs}, so latency stays
 *       well inside {@code prediction_timeout_ms} (streaming: bundles are often one element).
 * </ul>
 *
 * Both end in the same {@link BatchPredictor}.
 */
public final class Predict extends PTransform<PCollection<ModelInput>, WithDeadLetters<PredictionEvent>> {
  public static final TupleTag<PredictionEvent> PREDICTIONS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  /** Where batches form. */
  public enum Batching {
    DETERMINISTIC,
    WITHIN_BUNDLE,
    ACROSS_BUNDLES
  }

  /**
   * Bars of one timeframe per deterministic group: bounds a group to about this many rows per symbol
   * and exchange. Each group leaves the GroupByKey as one bundle, and the Direct runner copies a
   * downstream GroupByKey's buffered values (the Parquet write's shards) once per bundle: 256-bar groups
   * made the write of a million rows quadratic. A year of 1m bars is still 128 groups per model version.
   */
  static final int BUCKET_BARS = 4096;

  private final InferenceConfig config;
  private final ModelsView models;
  private final Batching batching;
  private final @Nullable String batchRequestId;

  public Predict(InferenceConfig config, ModelsView models, Batching batching, @Nullable String batchRequestId) {
    this.config = config;
    this.models = models;
    this.batching = batching;
    this.batchRequestId = batchRequestId;
  }

  /** Model version and a bucket of {@link #BUCKET_BARS} bars of the input's timeframe. */
  static String bucketKey(ModelInput in) {
    long bucket = Math.floorDiv(in.barMillis(),
        BUCKET_BARS * com.cryptoml.inference.models.metadata.Timeframe.of(in.timeframe()).barLength().toMillis());
    return in.servingKey() + "|" + in.timeframe() + "|" + bucket;
  }

  @Override
  public WithDeadLetters<PredictionEvent> expand(PCollection<ModelInput> inputs) {
    if (!config.resourceHints().isEmpty()) {
      return byModelType(inputs);
    }
    return predict(inputs);
  }

  /**
   * One inference step per model type that has resource hints, each carrying its hints (the
   * request's work distribution by model type: a GPU for one type, more memory for another), and
   * one step without hints for the other types.
   */
  private WithDeadLetters<PredictionEvent> byModelType(PCollection<ModelInput> inputs) {
    Map<ModelType, ResourceHintSpec> hints = config.resourceHints();
    RouteByModelTypeFn route = new RouteByModelTypeFn(models, hints.keySet());
    PCollectionTuple routed = inputs.apply("RouteByModelType",
        ParDo.of(route).withSideInputs(models.view()).withOutputTags(route.otherTypes(), route.hintedTags()));
    InferenceConfig plain = config.toBuilder().resourceHints(Map.of()).build();
    PCollectionList<PredictionEvent> predictions = PCollectionList.empty(inputs.getPipeline());
    PCollectionList<DeadLetter> dead = PCollectionList.empty(inputs.getPipeline());
    List<Map.Entry<String, TupleTag<ModelInput>>> steps = new ArrayList<>();
    for (ModelType type : hints.keySet()) {
      steps.add(Map.entry(type.code(), route.tagFor(type)));
    }
    steps.add(Map.entry("other types", route.otherTypes()));
    for (Map.Entry<String, TupleTag<ModelInput>> step : steps) {
      Predict single = new Predict(plain, models, batching, batchRequestId);
      ModelType type = ModelType.fromCode(step.getKey()).orElse(null);
      if (type != null) {
        single.setResourceHints(hints.get(type).toHints());
      }
      WithDeadLetters<PredictionEvent> out = routed.get(step.getValue()).setCoder(ModelInput.Coder.of())
          .apply("Predict " + step.getKey(), single);
      predictions = predictions.and(out.output());
      dead = dead.and(out.deadLetters());
    }
    return WithDeadLetters.of(PREDICTIONS, predictions.apply("AllPredictions", Flatten.pCollections()),
        DEAD_LETTERS, dead.apply("AllDeadLetters", Flatten.pCollections()));
  }

  private WithDeadLetters<PredictionEvent> predict(PCollection<ModelInput> inputs) {
    PCollectionTuple out;
    if (batching == Batching.ACROSS_BUNDLES) {
      out = inputs
          .apply("KeyByModelVersion", WithKeys.of((ModelInput in) -> in.servingKey()).withKeyType(TypeDescriptors.strings()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ModelInput.Coder.of()))
          .apply("GroupIntoBatches", GroupIntoBatches.<String, ModelInput>ofSize(config.batchSize())
              .withMaxBufferingDuration(Duration.millis(config.maxBatchWaitMs()))
              .withShardedKey())
          .apply("PredictBatches", ParDo.of(new PredictBatchesFn(config, models, batchRequestId))
              .withSideInputs(models.view()).withOutputTags(PREDICTIONS, TupleTagList.of(DEAD_LETTERS)));
    } else if (batching == Batching.DETERMINISTIC) {
      out = inputs
          .apply("KeyByModelVersionAndBucket", WithKeys.of(Predict::bucketKey).withKeyType(TypeDescriptors.strings()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ModelInput.Coder.of()))
          .apply("GroupByBucket", GroupInPacks.create())
          .apply("PredictGroups", ParDo.of(new PredictGroupsFn(config, models, batchRequestId))
              .withSideInputs(models.view()).withOutputTags(PREDICTIONS, TupleTagList.of(DEAD_LETTERS)));
    } else {
      out = inputs.apply("PredictInBundle", ParDo.of(new PredictInBundleFn(config, models, batchRequestId))
          .withSideInputs(models.view()).withOutputTags(PREDICTIONS, TupleTagList.of(DEAD_LETTERS)));
    }
    return WithDeadLetters.of(PREDICTIONS, out.get(PREDICTIONS).setCoder(CompactSchemaCoder.of(inputs.getPipeline(), PredictionEvent.class)), DEAD_LETTERS,
        out.get(DEAD_LETTERS));
  }
}
