package com.cryptoml.inference.runners.direct;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How the Direct runner's adaptations run; ignored on every other runner. */
@Description("Direct runner")
public interface DirectAdaptationOptions extends PipelineOptions {
  @Description("Direct runner only: which adaptations apply, all (the default), none, or the names to leave out prefixed"
      + " with '-' (kafka-read, state-shards, bundle-batches, packs, holds-janitor), comma-separated."
      + " See docs/decisions/direct-runner-adaptations.md")
  @Default.String("all")
  String getDirectAdaptations();

  void setDirectAdaptations(String value);

  @Description("Direct runner only: state keys the lookback history and the outcome join spread their series over"
      + " (state-shards); unset: the runner's target parallelism")
  Integer getStateShards();

  void setStateShards(Integer value);

  @Description("Direct runner only: Kafka records per element (kafka-read)")
  @Default.Integer(1000)
  int getDirectReadBatch();

  void setDirectReadBatch(int value);
}
