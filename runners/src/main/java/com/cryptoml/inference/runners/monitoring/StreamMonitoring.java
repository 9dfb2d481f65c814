package com.cryptoml.inference.runners.monitoring;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.KafkaSecurity;
import com.cryptoml.inference.runners.startup.StartupStatus;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.events.EventJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Monitoring for a stream started from this JVM ({@code ./inference stream} or {@code demo}): the
 * HTTP endpoints from before the pipeline starts, then consumer lag of the feature topics and
 * {@code inference_metrics} events on the metrics topic (Kafka transport) once it runs.
 */
public final class StreamMonitoring implements AutoCloseable {
  private final MonitoringServer server;
  private final @Nullable MetricsEventProducer events;

  private StreamMonitoring(MonitoringServer server, @Nullable MetricsEventProducer events) {
    this.server = server;
    this.events = events;
  }

  /** The endpoints, answering "starting" with what {@code startup} says until {@link #attach} is called. */
  public static StreamMonitoring start(StreamOptions options, InferenceConfig config, StartupStatus startup) throws IOException {
    MonitoringOptions m = options.as(MonitoringOptions.class);
    boolean kafka = options.getTransport() == StreamOptions.Transport.KAFKA;
    Map<String, Object> client = kafka ? KafkaSecurity.load(options.getKafkaPropertiesFile()) : Map.of();
    KafkaLag lag = null;
    MetricsEventProducer events = null;
    if (kafka) {
      List<String> topics = new ArrayList<>();
      for (Timeframe tf : config.enabledTimeframes()) {
        topics.add(options.getFeatureTopicPrefix() + tf.code());
      }
      lag = new KafkaLag(options.getBootstrapServers(), client, options.getConsumerGroup(), topics);
      if (m.getPublishMetricsEvents()) {
        events = new MetricsEventProducer(options.getBootstrapServers(), client, options.getMetricsTopic());
      }
    }
    EventJson.Envelope envelope = new EventJson.Envelope(config.options().getEnvironment(), config.options().getSubEnvironment(), config.mode().code());
    int port = m.getMonitoringPort() == 0 ? -1 : m.getMonitoringPort();
    MonitoringServer server = new MonitoringServer(port, config.modelRefs().size(), lag,
        Duration.ofMillis(config.options().getMetricsInterval().toMillis()), events, envelope, startup);
    return new StreamMonitoring(server, events);
  }

  /** Reports on {@code result} from now on. */
  public void attach(PipelineResult result) {
    server.attach(result);
  }

  /** The HTTP port, or -1 without HTTP. */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    if (events != null) {
      events.close();
    }
  }
}
