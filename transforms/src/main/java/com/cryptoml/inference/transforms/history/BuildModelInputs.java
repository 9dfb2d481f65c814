package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Valid feature updates to model inputs: kept as lookback history per symbol, exchange and timeframe
 * (one stateful key per series, {@link BarHistoryFn}), imputed, and routed to every model serving
 * their timeframe. The history's rules are {@link HistoryUpdates}.
 */
public final class BuildModelInputs extends PTransform<PCollection<FeatureUpdate>, WithDeadLetters<ModelInput>> {
  /** The output tags, for runners that replace this step with their own layout of the same state. */
  public static final TupleTag<ModelInput> INPUTS = BarHistoryFn.INPUTS;
  public static final TupleTag<DeadLetter> DEAD_LETTERS = BarHistoryFn.DEAD_LETTERS;

  private final InferenceConfig config;
  private final ModelsView models;
  private final long maxDisorderMillis;

  public BuildModelInputs(InferenceConfig config, ModelsView models) {
    this(config, models, Long.MAX_VALUE);
  }

  /** @param maxDisorderMillis how far behind its key's newest bar a bar may arrive (no limit: Long.MAX_VALUE) */
  public BuildModelInputs(InferenceConfig config, ModelsView models, long maxDisorderMillis) {
    this.config = config;
    this.models = models;
    this.maxDisorderMillis = maxDisorderMillis;
  }

  /** The rules this step applies to each series. */
  public HistoryUpdates updates() {
    return new HistoryUpdates(config, maxDisorderMillis);
  }

  public ModelsView models() {
    return models;
  }

  @Override
  public WithDeadLetters<ModelInput> expand(PCollection<FeatureUpdate> updates) {
    PCollection<KV<String, FeatureUpdate>> keyed = updates
        .apply("KeyBySymbolExchangeTimeframe", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), updates.getTypeDescriptor()))
            .via((FeatureUpdate u) -> KV.of(u.historyKey(), u)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), updates.getCoder()));
    PCollectionTuple out = keyed.apply("LookbackHistory", ParDo.of(new BarHistoryFn(updates(), models))
        .withSideInputs(models.view()).withOutputTags(INPUTS, TupleTagList.of(DEAD_LETTERS)));
    return WithDeadLetters.of(INPUTS, out.get(INPUTS).setCoder(ModelInput.Coder.of()), DEAD_LETTERS, out.get(DEAD_LETTERS));
  }
}
