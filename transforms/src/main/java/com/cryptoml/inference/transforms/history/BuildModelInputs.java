package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ActiveModels;
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
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Valid feature updates to model inputs: keyed by symbol, exchange and timeframe, kept as lookback
 * history, imputed, and routed to every model serving their timeframe.
 */
public final class BuildModelInputs extends PTransform<PCollection<FeatureUpdate>, WithDeadLetters<ModelInput>> {
  private final InferenceConfig config;
  private final ModelsView models;
  private final long maxDisorderMillis;

  public BuildModelInputs(InferenceConfig config, ModelsView models) {
    this(config, models, Long.MAX_VALUE);
  }

  /** @param maxDisorderMillis how far behind its key's newest bar a bar may arrive (no limit: MAX_VALUE) */
  public BuildModelInputs(InferenceConfig config, ModelsView models, long maxDisorderMillis) {
    this.config = config;
    this.models = models;
    this.maxDisorderMillis = maxDisorderMillis;
  }

  @Override
  public WithDeadLetters<ModelInput> expand(PCollection<FeatureUpdate> updates) {
    PCollection<KV<String, FeatureUpdate>> keyed = updates
        .apply("KeyBySymbolExchangeTimeframe", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), updates.getTypeDescriptor()))
            .via((FeatureUpdate u) -> KV.of(u.historyKey(), u)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), updates.getCoder()));
    PCollectionTuple out = keyed.apply("LookbackHistory", ParDo.of(new BarHistoryFn(config, models, maxDisorderMillis))
        .withSideInputs(models.view()).withOutputTags(BarHistoryFn.INPUTS, TupleTagList.of(BarHistoryFn.DEAD_LETTERS)));
    PCollection<ModelInput> inputs = out.get(BarHistoryFn.INPUTS).setCoder(ModelInput.Coder.of());
    PCollection<DeadLetter> dead = out.get(BarHistoryFn.DEAD_LETTERS);
    return WithDeadLetters.of(BarHistoryFn.INPUTS, inputs, BarHistoryFn.DEAD_LETTERS, dead);
  }
}
