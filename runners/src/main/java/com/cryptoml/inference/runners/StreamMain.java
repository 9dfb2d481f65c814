package com.cryptoml.inference.runners;

import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.config.ModelPreflight;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.StreamingPipeline;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import com.cryptoml.inference.runners.direct.DirectRunnerAdaptations;
import com.cryptoml.inference.runners.monitoring.MonitoringOptions;
import com.cryptoml.inference.runners.monitoring.StreamMonitoring;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Live inference against feature topics you run: {@code --bootstrapServers=...} (Kafka) or
 * {@code --transport=PUBSUB} with subscriptions and topics, on the runner of {@code --runner}
 * (Direct by default, Dataflow in production). Runs until cancelled.
 */
public final class StreamMain {
  private StreamMain() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(MonitoringOptions.class);
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    StreamOptions options = ConfigLoader.options(EnvironmentArgs.resolve(args, true), StreamOptions.class);
    options.as(StreamingOptions.class).setStreaming(true);
    if (DirectRunnerAdaptations.isDirect(options)) {
      TensorFlowNatives.install();
    }
    ModelPreflight.checkRouting(StreamingPipeline.config(options));
    Pipeline p = Pipeline.create(options);
    StreamingPipeline.Outputs outputs = StreamingPipeline.build(p, options);
    try (Launch.Running running = Launch.run(p, true);
        StreamMonitoring monitoring = StreamMonitoring.start(running.result(), options, outputs.config())) {
      if (monitoring.port() > 0) {
        System.out.println("Monitoring: http://127.0.0.1:" + monitoring.port() + "/metrics, /health, /ready");
      }
      running.result().waitUntilFinish();
    }
  }
}
