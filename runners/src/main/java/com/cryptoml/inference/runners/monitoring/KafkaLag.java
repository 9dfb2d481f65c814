package com.cryptoml.inference.runners.monitoring;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of the pipeline's consumer group: per partition of the feature topics, the end offset
 * minus the offset the pipeline committed (KafkaIO commits once a bundle's results are durable), so
 * it is the backlog still to predict. A partition without a commit counts from its start.
 */
public final class KafkaLag implements AutoCloseable {
  private final Admin admin;
  private final String group;
  private final Collection<String> topics;

  public KafkaLag(String bootstrapServers, Map<String, Object> clientSettings, String group, Collection<String> topics) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    this.admin = Admin.create(p);
    this.group = group;
    this.topics = topics;
  }

  /** Lag per "topic:partition"; empty when the broker cannot be asked now. */
  public Map<String, Long> lag() {
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
        d.partitions().forEach(p -> {
          latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
          earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
        });
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
      var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
      var starts = admin.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
      Map<String, Long> out = new HashMap<>();
      ends.forEach((tp, end) -> {
        OffsetAndMetadata c = committed.get(tp);
        long position = c == null ? starts.get(tp).offset() : c.offset();
        out.put(tp.topic() + ":" + tp.partition(), Math.max(0, end.offset() - position));
      });
      return out;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return Map.of();
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
