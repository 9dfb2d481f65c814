package com.cryptoml.inference.runners;

import com.cryptoml.inference.pipelines.batch.BatchLauncher;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The Flex Template's main class: builds the backfill and submits it to the runner in its options
 * (Dataflow). Request problems fail the launch with their message; nothing is submitted then.
 */
public final class DataflowBatchMain {
  private DataflowBatchMain() {}

  public static void main(String[] args) {
    BatchOptions options = PipelineOptionsFactory.fromArgs(EnvironmentArgs.resolve(args, false)).withValidation()
        .as(BatchOptions.class);
    BatchLauncher.prepare(options).pipeline().run();
  }
}
