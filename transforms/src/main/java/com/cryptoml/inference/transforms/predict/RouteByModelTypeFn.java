package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.ModelInput;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Sends each model input to the output of its model's type (from the model's metadata in the side
 * input), so each type's inference step can carry its own resource hints. Inputs whose model is no
 * longer active go to the untyped output, where prediction dead-letters them as usual.
 */
final class RouteByModelTypeFn extends DoFn<ModelInput, ModelInput> {
  private final ModelsView models;
  private final TupleTag<ModelInput> other = new TupleTag<>("other") {};
  private final Map<ModelType, TupleTag<ModelInput>> hinted = new EnumMap<>(ModelType.class);

  RouteByModelTypeFn(ModelsView models, Set<ModelType> hintedTypes) {
    this.models = models;
    for (ModelType t : hintedTypes) {
      hinted.put(t, new TupleTag<>(t.code()) {});
    }
  }

  TupleTag<ModelInput> otherTypes() {
    return other;
  }

  TupleTag<ModelInput> tagFor(ModelType type) {
    return hinted.get(type);
  }

  TupleTagList hintedTags() {
    List<TupleTag<?>> tags = new ArrayList<>(hinted.values());
    return TupleTagList.of(tags);
  }

  @ProcessElement
  public void process(ProcessContext c) {
    ActiveModels.Entry e = models.read(c).find(c.element().servingKey());
    TupleTag<ModelInput> tag = e == null ? null : hinted.get(e.metadata().modelType());
    c.output(tag == null ? other : tag, c.element());
  }
}
