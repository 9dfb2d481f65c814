package com.cryptoml.inference.runners;

import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.StreamingPipeline;
import com.cryptoml.inference.runners.monitoring.MonitoringOptions;
import com.cryptoml.inference.runners.monitoring.StreamMonitoring;
import com.cryptoml.inference.transforms.config.Runners;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Live inference against feature topics you run: {@code --bootstrapServers=...} (Kafka) or
 * {@code --transport=pubsub} with subscriptions and topics, on the runner of {@code --runner}
 * (Direct by default, Dataflow in production). Runs until cancelled.
 */
public final class StreamMain {
  private StreamMain() {}

  public static void main(String[] args) throws java.io.IOException {
    PipelineOptionsFactory.register(MonitoringOptions.class);
    StreamOptions options = PipelineOptionsFactory.fromArgs(EnvironmentArgs.resolve(args, true)).withValidation()
        .as(StreamOptions.class);
    options.as(org.apache.beam.sdk.options.StreamingOptions.class).setStreaming(true);
    if (Runners.isDirect(options)) {
      TensorFlowNatives.install();
    }
    Pipeline p = Pipeline.create(options);
    StreamingPipeline.Outputs outputs = StreamingPipeline.build(p, options);
    PipelineResult result = StreamingPipeline.run(p);
    try (StreamMonitoring monitoring = StreamMonitoring.start(result, options, outputs.config())) {
      if (monitoring.port() > 0) {
        System.out.println("Monitoring: http://127.0.0.1:" + monitoring.port() + "/metrics, /health, /ready");
      }
      result.waitUntilFinish();
    }
  }
}
