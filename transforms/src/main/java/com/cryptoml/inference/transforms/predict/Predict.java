package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.ResourceHintSpec;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Model inputs to prediction events, batched up to {@code batch_size} per model version by {@link
 * PredictBatches}. With resource hints in the configuration, one batching step per hinted model type
 * carries its hints (the request's work distribution by model type: a GPU for one type, more memory
 * for another), and one step without hints takes the other types.
 */
public final class Predict extends PTransform<PCollection<ModelInput>, WithDeadLetters<PredictionEvent>> {
  public static final TupleTag<PredictionEvent> PREDICTIONS = new TupleTag<>("predictions") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  private final InferenceConfig config;
  private final ModelsView models;
  private final PredictBatches.Batching batching;
  private final @Nullable String batchRequestId;

  public Predict(InferenceConfig config, ModelsView models, PredictBatches.Batching batching, @Nullable String batchRequestId) {
    this.config = config;
    this.models = models;
    this.batching = batching;
    this.batchRequestId = batchRequestId;
  }

  @Override
  public WithDeadLetters<PredictionEvent> expand(PCollection<ModelInput> inputs) {
    if (config.resourceHints().isEmpty()) {
      return inputs.apply("Batches", new PredictBatches(config, models, batching, batchRequestId));
    }
    Map<ModelType, ResourceHintSpec> hints = config.resourceHints();
    RouteByModelTypeFn route = new RouteByModelTypeFn(models, hints.keySet());
    PCollectionTuple routed = inputs.apply("RouteByModelType",
        ParDo.of(route).withSideInputs(models.view()).withOutputTags(route.otherTypes(), route.hintedTags()));
    PCollectionList<PredictionEvent> predictions = PCollectionList.empty(inputs.getPipeline());
    PCollectionList<DeadLetter> dead = PCollectionList.empty(inputs.getPipeline());
    List<Map.Entry<String, TupleTag<ModelInput>>> steps = new ArrayList<>();
    for (ModelType type : hints.keySet()) {
      steps.add(Map.entry(type.code(), route.tagFor(type)));
    }
    steps.add(Map.entry("other types", route.otherTypes()));
    for (Map.Entry<String, TupleTag<ModelInput>> step : steps) {
      PredictBatches single = new PredictBatches(config, models, batching, batchRequestId);
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
}
