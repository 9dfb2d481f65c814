package com.cryptoml.inference.runners.direct;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the consumer group's offsets for the records of each bundle when the bundle finishes, on the
 * Direct runner, where KafkaIO's {@code commitOffsetsInFinalize} does not serve: through
 * {@code KafkaIO.read()} it commits nothing (the runner encodes the reader's checkpoint mark, which
 * drops the reader reference the commit needs; Beam issue 19434), and through {@link
 * BatchedUnboundedSource} it commits from the reader's poll thread, where a failed commit ends the
 * reader. The guarantee is KafkaIO's: a record's offset is committed once it is in the pipeline, so a
 * restarted pipeline resumes after it. A failed commit is logged and retried with the next bundle.
 *
 * <p>The runner may finish a later bundle of a partition before an earlier one, on another thread and
 * DoFn instance: commits of one pipeline go through one lock and never lower a partition's offset.
 *
 * @param <T> what the records come in: one record ({@link #ofRecords}) or a batch ({@link #ofBatches})
 */
final class CommitReadOffsets<T> extends DoFn<T, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(CommitReadOffsets.class);
  /**
   * Per pipeline (the id its instances share): the highest offset committed for each partition. One
   * small entry per pipeline run in this JVM; kept, since another instance of the run may still commit.
   */
  private static final Map<String, Map<TopicPartition, Long>> COMMITTED = new ConcurrentHashMap<>();

  private final String pipelineId = UUID.randomUUID().toString();
  private final String bootstrapServers;
  private final String group;
  private final Map<String, Object> clientSettings;
  private final SerializableFunction<T, Iterable<KafkaRecord<byte[], byte[]>>> records;
  private transient KafkaConsumer<byte[], byte[]> committer;
  private transient Map<TopicPartition, Long> next;

  private CommitReadOffsets(String bootstrapServers, String group, Map<String, Object> clientSettings,
      SerializableFunction<T, Iterable<KafkaRecord<byte[], byte[]>>> records) {
    this.bootstrapServers = bootstrapServers;
    this.group = group;
    this.clientSettings = new HashMap<>(clientSettings);
    this.records = records;
  }

  /** For {@code KafkaIO.read()}'s records. */
  static CommitReadOffsets<KafkaRecord<byte[], byte[]>> ofRecords(String bootstrapServers, String group,
      Map<String, Object> clientSettings) {
    return new CommitReadOffsets<>(bootstrapServers, group, clientSettings, List::of);
  }

  /** For the batches of {@link BatchedUnboundedSource}. */
  static CommitReadOffsets<List<TimestampedValue<KafkaRecord<byte[], byte[]>>>> ofBatches(String bootstrapServers,
      String group, Map<String, Object> clientSettings) {
    return new CommitReadOffsets<>(bootstrapServers, group, clientSettings,
        batch -> batch.stream().map(TimestampedValue::getValue).toList());
  }

  @Setup
  public void setup() {
    Map<String, Object> p = new HashMap<>(clientSettings);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "offset-committer-" + group);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    committer = new KafkaConsumer<>(p);
    next = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element T element) {
    for (KafkaRecord<byte[], byte[]> r : records.apply(element)) {
      next.merge(new TopicPartition(r.getTopic(), r.getPartition()), r.getOffset() + 1, Math::max);
    }
  }

  @FinishBundle
  public void finishBundle() {
    if (next.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> committed = COMMITTED.computeIfAbsent(pipelineId, id -> new HashMap<>());
    synchronized (committed) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(Math.max(offset, committed.getOrDefault(tp, 0L)))));
      try {
        committer.commitSync(offsets, java.time.Duration.ofSeconds(10));
        offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        next.clear();
      } catch (RuntimeException e) {
        LOG.warn("offset commit for group {} failed, retried with the next bundle: {}", group, e.toString());
      }
    }
  }

  @Teardown
  public void teardown() {
    if (committer != null) {
      committer.close(java.time.Duration.ofSeconds(5));
    }
  }
}
