package com.cryptoml.inference.runners.monitoring;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.KafkaSecurity;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.events.EventJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Monitoring for a stream started from this JVM ({@code ./inference stream} or {@code demo}): the
 * HTTP endpoints, consumer lag of the feature topics, and {@code inference_metrics} events on the
 * metrics topic (Kafka transport).
 */
public final class StreamMonitoring implements AutoCloseable {
  private final MonitoringServer server;
  private final KafkaProducer<String, String> producer;

  private StreamMonitoring(MonitoringServer server, KafkaProducer<String, String> producer) {
    this.server = server;
    this.producer = producer;
  }

  public static StreamMonitoring start(PipelineResult result, StreamOptions options, InferenceConfig config) throws IOException {
    MonitoringOptions m = options.as(MonitoringOptions.class);
    boolean kafka = options.getTransport() == StreamOptions.Transport.KAFKA;
    Map<String, Object> client = kafka ? KafkaSecurity.load(options.getKafkaPropertiesFile()) : Map.of();
    KafkaLag lag = null;
    KafkaProducer<String, String> producer = null;
    Consumer<String> events = null;
    if (kafka) {
      List<String> topics = new ArrayList<>();
      for (Timeframe tf : config.enabledTimeframes()) {
        topics.add(options.getFeatureTopicPrefix() + tf.code());
      }
      lag = new KafkaLag(options.getBootstrapServers(), client, options.getConsumerGroup(), topics);
      if (m.getPublishMetricsEvents()) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer = new KafkaProducer<>(p);
        KafkaProducer<String, String> out = producer;
        String topic = options.getMetricsTopic();
        events = json -> out.send(new ProducerRecord<>(topic, "inference_metrics", json));
      }
    }
    EventJson.Envelope envelope = new EventJson.Envelope(config.options().getEnvironment(), config.options().getSubEnvironment(), config.mode().code());
    int port = m.getMonitoringPort() == 0 ? -1 : m.getMonitoringPort();
    MonitoringServer server = new MonitoringServer(result, port, config.modelRefs().size(), lag,
        Duration.ofMillis(config.options().getMetricsInterval().toMillis()), events, envelope);
    return new StreamMonitoring(server, producer);
  }

  /** The HTTP port, or -1 without HTTP. */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
