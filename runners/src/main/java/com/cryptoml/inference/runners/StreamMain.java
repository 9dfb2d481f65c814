package com.cryptoml.inference.runners;

import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.config.ModelPreflight;
import com.cryptoml.inference.pipelines.options.FeatureTopicOptions;
import com.cryptoml.inference.pipelines.options.KafkaClientOptions;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.KafkaSecurity;
import com.cryptoml.inference.pipelines.streaming.StreamingPipeline;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import com.cryptoml.inference.runners.direct.DirectRunnerAdaptations;
import com.cryptoml.inference.runners.monitoring.MonitoringOptions;
import com.cryptoml.inference.runners.monitoring.StreamMonitoring;
import com.cryptoml.inference.runners.startup.Dependencies;
import com.cryptoml.inference.runners.startup.StartupOptions;
import com.cryptoml.inference.runners.startup.StartupStatus;
import com.cryptoml.inference.runners.startup.WaitFor;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.Span;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Live inference against feature topics you run: {@code --bootstrapServers=...} (Kafka) or
 * {@code --transport=PUBSUB} with subscriptions and topics, on the runner of {@code --runner}
 * (Direct by default, Dataflow in production). Starts its monitoring endpoint first, waits for the
 * broker and the registry (saying so, with backoff), checks the configured models, then runs the
 * pipeline until cancelled.
 */
public final class StreamMain {
  private StreamMain() {}

  /** The options interfaces the stream command reads, for parsing and {@code --help}. */
  static final List<Class<? extends org.apache.beam.sdk.options.PipelineOptions>> OPTIONS = List.of(
      StreamOptions.class, KafkaClientOptions.class, FeatureTopicOptions.class, StartupOptions.class, MonitoringOptions.class,
      DirectAdaptationOptions.class, com.cryptoml.inference.transforms.config.InferenceOptions.class);

  public static int run(String[] args) throws Exception {
    return run(args, System.out);
  }

  static int run(String[] args, PrintStream out) throws Exception {
    OPTIONS.forEach(PipelineOptionsFactory::register);
    StreamOptions options = ConfigLoader.options(EnvironmentArgs.resolve(args, true), StreamOptions.class);
    options.as(StreamingOptions.class).setStreaming(true);
    Duration wait = Span.parse(options.as(StartupOptions.class).getStartupWait()).duration();
    InferenceConfig config = StreamingPipeline.config(options);
    StartupStatus startup = new StartupStatus();
    try (StreamMonitoring monitoring = StreamMonitoring.start(options, config, startup)) {
      if (monitoring.port() > 0) {
        out.println("Monitoring: http://127.0.0.1:" + monitoring.port() + "/metrics, /health, /ready");
      }
      if (options.getTransport() == StreamOptions.Transport.KAFKA) {
        String broker = "the Kafka broker at " + options.getBootstrapServers();
        startup.starting(broker);
        WaitFor.until(broker, () -> Dependencies.broker(options.getBootstrapServers(),
            KafkaSecurity.load(options.getKafkaPropertiesFile())), wait, startup, out);
      }
      String registry = "the model registry at " + Registries.redact(options.getRegistry());
      startup.starting(registry);
      ModelPreflight.Report[] report = new ModelPreflight.Report[1];
      WaitFor.until(registry, () -> Dependencies.unreachable(report[0] = ModelPreflight.run(config, false)), wait, startup, out);
      ModelPreflight.failOnConfigurationProblems(report[0]);
      report[0].rows().forEach(r -> out.println("  " + r.timeframe().code() + "  " + r.ref() + "  "
          + (r.verified() ? "version " + r.version() + " (" + r.versionLabel() + ")" : "refused: " + r.reason() + ", " + r.detail())));

      startup.starting("pipeline start");
      if (DirectRunnerAdaptations.isDirect(options)) {
        TensorFlowNatives.install();
      }
      Pipeline p = Pipeline.create(options);
      StreamingPipeline.build(p, options);
      try (Launch.Running running = Launch.run(p, true)) {
        monitoring.attach(running.result());
        out.println("Stream running; predictions to " + predictionsTarget(options) + ". Ctrl-C stops it.");
        running.result().waitUntilFinish();
      }
    }
    return 0;
  }

  private static String predictionsTarget(StreamOptions o) {
    if (o.getTransport() == StreamOptions.Transport.PUBSUB) {
      return o.getPubsubPredictionsTopic();
    }
    return o.getPredictionsTopic() + (o.getChallengerTopic() == null ? "" : " (challengers to " + o.getChallengerTopic() + ")")
        + " at " + o.getBootstrapServers();
  }
}
