package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.sharding.StateShards;
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
 * Valid feature updates to model inputs: kept as lookback history per symbol, exchange and timeframe
 * (in state keyed by the series or by a shard of series, see {@link StateShards}), imputed, and routed
 * to every model serving their timeframe.
 */
public final class BuildModelInputs extends PTransform<PCollection<FeatureUpdate>, WithDeadLetters<ModelInput>> {
  private final InferenceConfig config;
  private final ModelsView models;
  private final long maxDisorderMillis;
  private final int stateShards;

  public BuildModelInputs(InferenceConfig config, ModelsView models) {
    this(config, models, Long.MAX_VALUE, 0);
  }

  /**
   * @param maxDisorderMillis how far behind its key's newest bar a bar may arrive (no limit: MAX_VALUE)
   * @param stateShards 0: one state key per series; N: the series spread over N keys
   */
  public BuildModelInputs(InferenceConfig config, ModelsView models, long maxDisorderMillis, int stateShards) {
    this.config = config;
    this.models = models;
    this.maxDisorderMillis = maxDisorderMillis;
    this.stateShards = StateShards.checked(stateShards);
  }

  @Override
  public WithDeadLetters<ModelInput> expand(PCollection<FeatureUpdate> updates) {
    int shards = stateShards;
    PCollection<KV<String, FeatureUpdate>> keyed = updates
        .apply(stateShards == 0 ? "KeyBySymbolExchangeTimeframe" : "KeyByStateShard", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), updates.getTypeDescriptor()))
            .via((FeatureUpdate u) -> KV.of(StateShards.key(u.historyKey(), shards), u)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), updates.getCoder()));
    PCollectionTuple out = keyed.apply("LookbackHistory", ParDo.of(new BarHistoryFn(config, models, maxDisorderMillis, updates.getPipeline().getOptions()))
        .withSideInputs(models.view()).withOutputTags(BarHistoryFn.INPUTS, TupleTagList.of(BarHistoryFn.DEAD_LETTERS)));
    PCollection<ModelInput> inputs = out.get(BarHistoryFn.INPUTS).setCoder(ModelInput.Coder.of());
    PCollection<DeadLetter> dead = out.get(BarHistoryFn.DEAD_LETTERS);
    return WithDeadLetters.of(BarHistoryFn.INPUTS, inputs, BarHistoryFn.DEAD_LETTERS, dead);
  }
}
