package com.cryptoml.inference.runners;

import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.StreamingPipeline;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Live inference against feature topics you run: {@code --bootstrapServers=...} (Kafka) or
 * {@code --transport=pubsub} with subscriptions and topics, on the runner of {@code --runner}
 * (Direct by default, Dataflow in production). Runs until cancelled.
 */
public final class StreamMain {
  private StreamMain() {}

  public static void main(String[] args) {
    StreamOptions options = PipelineOptionsFactory.fromArgs(EnvironmentArgs.resolve(args, true)).withValidation()
        .as(StreamOptions.class);
    options.as(org.apache.beam.sdk.options.StreamingOptions.class).setStreaming(true);
    if (options.getRunner().getSimpleName().equals("DirectRunner")) {
      TensorFlowNatives.install();
    }
    Pipeline p = Pipeline.create(options);
    StreamingPipeline.build(p, options);
    p.run().waitUntilFinish();
  }
}
