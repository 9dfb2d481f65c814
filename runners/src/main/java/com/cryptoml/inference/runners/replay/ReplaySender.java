package com.cryptoml.inference.runners.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends replayed bars to the feature topics ({@code PREFIX + timeframe}, keyed {@code SYMBOL:EXCHANGE}
 * as the stream expects), paced by their bar times: {@code speed} seconds of market time per second,
 * or as fast as the broker takes them when it is 0.
 */
public final class ReplaySender {
  private final Map<String, Object> producerSettings;
  private final String topicPrefix;

  public ReplaySender(String bootstrapServers, Map<String, Object> clientSettings, String topicPrefix) {
    this.producerSettings = new HashMap<>(clientSettings);
    producerSettings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerSettings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerSettings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.topicPrefix = topicPrefix;
  }

  /**
   * @param beforeSend told of each message just before it is sent
   * @param stop asked before each message; true ends the replay there
   * @return messages sent
   */
  public long send(List<HistoryReplay.Message> messages, double speed, Consumer<HistoryReplay.Message> beforeSend, BooleanSupplier stop)
      throws InterruptedException {
    long sent = 0;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings)) {
      long wallStart = System.nanoTime();
      long marketStart = messages.isEmpty() ? 0 : messages.get(0).barMillis();
      for (HistoryReplay.Message m : messages) {
        if (stop.getAsBoolean()) {
          break;
        }
        if (speed > 0) {
          long due = wallStart + (long) ((m.barMillis() - marketStart) * 1_000_000L / speed);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
          }
        }
        beforeSend.accept(m);
        producer.send(new ProducerRecord<>(topicPrefix + m.timeframe(), m.key(), m.json()));
        sent++;
      }
      producer.flush();
    }
    return sent;
  }
}
