package com.cryptoml.inference.runners;

import com.cryptoml.inference.pipelines.batch.BatchPipeline;
import com.cryptoml.inference.pipelines.batch.BatchPreflight;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import org.apache.beam.sdk.Pipeline;

/**
 * The Flex Template's main class: checks the request ({@link BatchPreflight}), builds the backfill
 * and submits it to the runner in its options (Dataflow). A refused request fails the launch with its
 * reasons; nothing is submitted then.
 */
public final class DataflowBatchMain {
  private DataflowBatchMain() {}

  public static void main(String[] args) {
    BatchOptions options = ConfigLoader.options(EnvironmentArgs.resolve(args, false), BatchOptions.class);
    BatchPreflight.Checked checked = BatchPreflight.check(options);
    Pipeline p = Pipeline.create(options);
    BatchPipeline.build(p, checked, System.currentTimeMillis());
    p.run();
  }
}
