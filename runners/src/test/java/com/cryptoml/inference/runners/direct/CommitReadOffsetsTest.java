package com.cryptoml.inference.runners.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cryptoml.inference.broker.LocalKafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Per-bundle offset commits against the real broker, with bundles finishing out of order. */
class CommitReadOffsetsTest {
  private final LocalKafkaBroker broker = LocalKafkaBroker.shared();

  @Test
  void aLaterBundleFinishingFirstIsNotUndoneByAnEarlierOne() throws Exception {
    String topic = "commit-order.features.1h";
    String group = "commit-order";
    broker.createTopics(List.of(topic), 1);
    CommitReadOffsets<KafkaRecord<byte[], byte[]>> fn = CommitReadOffsets.ofRecords(broker.bootstrapServers(), group, Map.of());
    // Two instances of one pipeline's step, as the runner deserializes one per worker thread.
    CommitReadOffsets<KafkaRecord<byte[], byte[]>> early = SerializableUtils.clone(fn);
    CommitReadOffsets<KafkaRecord<byte[], byte[]>> late = SerializableUtils.clone(fn);
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

  @Test
  void aBundleOfBatchesCommitsEachPartitionPastItsLastRecord() throws Exception {
    String topic = "commit-batches.features.1h";
    String group = "commit-batches";
    broker.createTopics(List.of(topic), 2);
    CommitReadOffsets<List<TimestampedValue<KafkaRecord<byte[], byte[]>>>> fn =
        CommitReadOffsets.ofBatches(broker.bootstrapServers(), group, Map.of());
    fn.setup();
    try {
      fn.process(List.of(batched(topic, 0, 3), batched(topic, 1, 7), batched(topic, 0, 4)));
      fn.process(List.of(batched(topic, 1, 8)));
      fn.finishBundle();
      assertEquals(5, committed(group, topic, 0));
      assertEquals(9, committed(group, topic, 1));
    } finally {
      fn.teardown();
    }
  }

  private static TimestampedValue<KafkaRecord<byte[], byte[]>> batched(String topic, int partition, long offset) {
    return TimestampedValue.of(new KafkaRecord<>(topic, partition, offset, 0L, KafkaTimestampType.CREATE_TIME, null,
        new byte[0], new byte[0]), new Instant(0));
  }

  private void oneBundleOfANewPipeline(String group, String topic, long offset) {
    CommitReadOffsets<KafkaRecord<byte[], byte[]>> fn = CommitReadOffsets.ofRecords(broker.bootstrapServers(), group, Map.of());
    fn.setup();
    fn.process(record(topic, offset));
    fn.finishBundle();
    fn.teardown();
  }

  private static KafkaRecord<byte[], byte[]> record(String topic, long offset) {
    return new KafkaRecord<>(topic, 0, offset, 0L, KafkaTimestampType.CREATE_TIME, null, new byte[0], new byte[0]);
  }

  private long committed(String group, String topic) throws Exception {
    return committed(group, topic, 0);
  }

  private long committed(String group, String topic, int partition) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, partition));
      return o == null ? -1 : o.offset();
    }
  }
}
