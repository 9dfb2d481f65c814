package com.cryptoml.inference.runners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentArgsTest {
  @Test
  void localRunsKeepTheirCommandLine() {
    String[] args = {"--config=embedded:production", "--batchSize=64"};
    assertArrayEquals(args, EnvironmentArgs.resolve(args, true));
  }

  @Test
  void dataflowRunsGetTheEnvironmentsWorkers() {
    List<String> args = List.of(EnvironmentArgs.resolve(
        new String[] {"--runner=DataflowRunner", "--config=embedded:production", "--numWorkers=5"}, true));
    assertTrue(args.contains("--dataflowServiceOptions=worker_accelerator=type:nvidia-tesla-t4;count:1;install-nvidia-driver"), args.toString());
    assertTrue(args.contains("--experiments=use_runner_v2"));
    assertTrue(args.contains("--enableStreamingEngine=true"));
    assertTrue(args.contains("--numWorkers=5") && !args.contains("--numWorkers=3"), "the command line wins: " + args);
    assertTrue(args.contains("--sdkContainerImage=europe-west4-docker.pkg.dev/quant-prod/inference/worker-gpu:latest"));
  }

  @Test
  void localDevHasNoDataflowSection() {
    String[] args = {"--runner=DataflowRunner"};
    assertArrayEquals(args, EnvironmentArgs.resolve(args, false));
    assertFalse(EnvironmentArgs.onDataflow(new String[] {"--runner=DirectRunner"}));
    assertTrue(EnvironmentArgs.onDataflow(new String[] {"--runner=org.apache.beam.runners.dataflow.DataflowRunner"}));
  }
}
