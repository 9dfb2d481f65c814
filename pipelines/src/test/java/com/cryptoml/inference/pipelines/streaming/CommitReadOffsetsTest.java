package com.cryptoml.inference.pipelines.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cryptoml.inference.pipelines.kafka.LocalKafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Per-bundle offset commits against the real broker, with bundles finishing out of order. */
class CommitReadOffsetsTest {
  private final LocalKafkaBroker broker = LocalKafkaBroker.shared();

  @Test
  void aLaterBundleFinishingFirstIsNotUndoneByAnEarlierOne() throws Exception {
    String topic = "commit-order.features.1h";
    String group = "commit-order";
    broker.createTopics(List.of(topic), 1);
    CommitReadOffsets fn = new CommitReadOffsets(broker.bootstrapServers(), group, Map.of());
    // Two instances of one pipeline's step, as the runner deserializes one per worker thread.
    CommitReadOffsets early = SerializableUtils.clone(fn);
    CommitReadOffsets late = SerializableUtils.clone(fn);
    early.setup();
    late.setup();
    try {
      for (long offset = 0; offset < 6; offset++) {
        early.process(record(topic, offset));
      }
      for (long offset = 6; offset < 10; offset++) {
        late.process(record(topic, offset));
      }
      late.finishBundle();
      assertEquals(10, committed(group, topic));
      early.finishBundle();
      assertEquals(10, committed(group, topic), "the earlier bundle finishing last keeps offset 10");

      late.process(record(topic, 10));
      late.finishBundle();
      assertEquals(11, committed(group, topic));
    } finally {
      early.teardown();
      late.teardown();
    }
  }

  @Test
  void anotherPipelineOnTheSameGroupCommitsItsOwnOffsets() throws Exception {
    String topic = "commit-rerun.features.1h";
    String group = "commit-rerun";
    broker.createTopics(List.of(topic), 1);
    oneBundleOfANewPipeline(group, topic, 20);
    assertEquals(21, committed(group, topic));
    // A new pipeline (say, reset to earlier offsets on purpose) is not held to the first one's high mark.
    oneBundleOfANewPipeline(group, topic, 4);
    assertEquals(5, committed(group, topic));
  }

  private void oneBundleOfANewPipeline(String group, String topic, long offset) {
    CommitReadOffsets fn = new CommitReadOffsets(broker.bootstrapServers(), group, Map.of());
    fn.setup();
    fn.process(record(topic, offset));
    fn.finishBundle();
    fn.teardown();
  }

  private static KafkaRecord<byte[], byte[]> record(String topic, long offset) {
    return new KafkaRecord<>(topic, 0, offset, 0L, KafkaTimestampType.CREATE_TIME, null, new byte[0], new byte[0]);
  }

  private long committed(String group, String topic) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
      return o == null ? -1 : o.offset();
    }
  }
}
