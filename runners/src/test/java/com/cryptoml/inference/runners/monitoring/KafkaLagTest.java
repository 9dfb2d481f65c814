package com.cryptoml.inference.runners.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cryptoml.inference.broker.LocalKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Consumer lag against a real broker: end offsets minus the group's commits, per partition. */
class KafkaLagTest {
  @Test
  void lagIsEndMinusCommittedPerPartition() throws Exception {
    LocalKafkaBroker broker = LocalKafkaBroker.shared();
    String topic = "lag-test.features.1h";
    broker.createTopics(List.of(topic), 2);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, i < 7 ? 0 : 1, "k", "v" + i)).get();
      }
    }
    try (KafkaLag lag = new KafkaLag(broker.bootstrapServers(), Map.of(), "lag-test", List.of(topic))) {
      assertEquals(Map.of(topic + ":0", 7L, topic + ":1", 3L), lag.lag(), "nothing committed: all of it is backlog");
      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "lag-test");
      c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
        consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(5)), Duration.ofSeconds(10));
      }
      assertEquals(Map.of(topic + ":0", 2L, topic + ":1", 3L), lag.lag());
    }
  }
}
