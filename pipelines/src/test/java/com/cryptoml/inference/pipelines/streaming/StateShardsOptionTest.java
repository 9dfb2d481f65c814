package com.cryptoml.inference.pipelines.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cryptoml.inference.pipelines.options.StreamOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** {@code --stateShards}: shards on the Direct runner, a key per series elsewhere, unless told. */
class StateShardsOptionTest {
  static StreamOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(StreamOptions.class);
  }

  @Test
  void directRunnerShardsByItsTargetParallelismUnlessTold() {
    assertEquals(5, StreamingPipeline.stateShards(options("--runner=DirectRunner", "--targetParallelism=5")));
    assertEquals(0, StreamingPipeline.stateShards(options("--runner=DirectRunner", "--stateShards=0")));
    assertEquals(2, StreamingPipeline.stateShards(options("--runner=DataflowRunner", "--stateShards=2")));
    assertEquals(0, StreamingPipeline.stateShards(options("--runner=DataflowRunner")));
    assertThrows(IllegalArgumentException.class, () -> StreamingPipeline.stateShards(options("--stateShards=-1")));
  }
}
