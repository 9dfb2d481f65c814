package com.cryptoml.inference.runners.monitoring;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes {@code inference_metrics} events to the metrics topic. The producer is made with the
 * first event, which comes once the pipeline runs, so a stream still waiting for its broker holds
 * no client that retries in the background.
 */
final class MetricsEventProducer implements Consumer<String>, AutoCloseable {
  private final Map<String, Object> settings;
  private final String topic;
  private KafkaProducer<String, String> producer;

  MetricsEventProducer(String bootstrapServers, Map<String, Object> clientSettings, String topic) {
    this.settings = new HashMap<>(clientSettings);
    settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    this.topic = topic;
  }

  @Override
  public synchronized void accept(String json) {
    if (producer == null) {
      producer = new KafkaProducer<>(settings);
    }
    producer.send(new ProducerRecord<>(topic, "inference_metrics", json));
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
