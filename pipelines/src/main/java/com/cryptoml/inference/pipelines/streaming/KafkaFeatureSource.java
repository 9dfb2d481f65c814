package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.transforms.coders.CompactSchemaCoder;
import com.cryptoml.inference.transforms.values.RawEvent;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;

/**
 * Feature updates from Kafka: one topic per enabled timeframe, keys {@code symbol:exchange}, values
 * the JSON event. Event time is the bar time in the payload ({@link BarTimestampPolicy}), unless it is
 * beyond {@link BarTimeLimit}. Offsets are
 * committed when Beam finalizes a checkpoint, that is after the records' results are durably
 * processed: at-least-once, and a restarted pipeline resumes where the last one committed. On the
 * Direct runner the records are read in batches ({@link #withRecordsPerElement}) and their offsets
 * committed as each bundle of them finishes ({@link CommitReadOffsets}).
 */
public final class KafkaFeatureSource extends PTransform<PBegin, PCollection<RawEvent>> {
  private final String bootstrapServers;
  private final List<String> topics;
  private final String consumerGroup;
  private final String startOffset;
  private final Duration maxDelay;
  private final Map<String, Object> clientSettings;
  private final boolean eventTimeWatermark;
  private final BarTimeLimit limit;
  private final boolean commitPerBundle;
  private final int recordsPerElement;

  /**
   * @param commitPerBundle commit offsets as bundles of records finish ({@link CommitReadOffsets})
   *     instead of on checkpoint finalization, for the Direct runner, where KafkaIO's own commit
   *     commits nothing through {@link KafkaIO#read()} and fails the pipeline when the broker is away
   *     through {@link BatchedUnboundedSource}
   */
  public KafkaFeatureSource(String bootstrapServers, List<String> topics, String consumerGroup, String startOffset,
      Duration maxDelay, Map<String, Object> clientSettings, boolean eventTimeWatermark, BarTimeLimit limit,
      boolean commitPerBundle) {
    this(bootstrapServers, topics, consumerGroup, startOffset, maxDelay, clientSettings, eventTimeWatermark, limit,
        commitPerBundle, 0);
  }

  private KafkaFeatureSource(String bootstrapServers, List<String> topics, String consumerGroup, String startOffset,
      Duration maxDelay, Map<String, Object> clientSettings, boolean eventTimeWatermark, BarTimeLimit limit,
      boolean commitPerBundle, int recordsPerElement) {
    this.recordsPerElement = recordsPerElement;
    this.eventTimeWatermark = eventTimeWatermark;
    this.limit = limit;
    this.commitPerBundle = commitPerBundle;
    this.bootstrapServers = bootstrapServers;
    this.topics = List.copyOf(topics);
    this.consumerGroup = consumerGroup;
    this.startOffset = startOffset;
    this.maxDelay = maxDelay;
    this.clientSettings = Map.copyOf(clientSettings);
  }

  /**
   * Reads the records {@code recordsPerElement} at a time through KafkaIO's own unbounded source
   * ({@link BatchedUnboundedSource}, unpacked by {@link Unbatch}), for the Direct runner, which hands
   * over 10 elements per bundle; 0 (the default) applies {@link KafkaIO#read()} itself, as every other
   * runner should.
   */
  public KafkaFeatureSource withRecordsPerElement(int recordsPerElement) {
    if (recordsPerElement < 0) {
      throw new IllegalArgumentException("records per element must be 0 or more, got " + recordsPerElement);
    }
    return new KafkaFeatureSource(bootstrapServers, topics, consumerGroup, startOffset, maxDelay, clientSettings,
        eventTimeWatermark, limit, commitPerBundle, recordsPerElement);
  }

  /** KafkaIO's unbounded source for {@code read}: the one its own expansion reads through on the Direct runner. */
  @SuppressWarnings("unchecked")
  static UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> unboundedSource(KafkaIO.Read<byte[], byte[]> read) {
    try {
      Method make = KafkaIO.Read.class.getDeclaredMethod("makeSource");
      make.setAccessible(true);
      return (UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark>) make.invoke(read);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this Beam version's KafkaIO.Read has no makeSource(); use --directReadBatch=0", e);
    }
  }

  @Override
  public PCollection<RawEvent> expand(PBegin begin) {
    Map<String, Object> consumer = new HashMap<>(clientSettings);
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startOffset);
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1 << 20); // bounds what one poll can buffer
    KafkaIO.Read<byte[], byte[]> read = KafkaIO.<byte[], byte[]>read()
        .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
        .withValueDeserializerAndCoder(ByteArrayDeserializer.class, ByteArrayCoder.of())
        .withBootstrapServers(bootstrapServers)
        .withTopics(topics)
        .withConsumerConfigUpdates(consumer)
        .withTimestampPolicyFactory(eventTimeWatermark ? EventTimeWatermarkPolicy.withMaxDelay(maxDelay, limit)
            : BarTimestampPolicy.withMaxDelay(maxDelay, limit));
    // One committer only. Through BatchedUnboundedSource KafkaIO's own finalize-commit does run, in its
    // poll thread, where a commit that fails (a broker restart) kills the reader and with it the pipeline,
    // and where it raced CommitReadOffsets and could move the group's offsets back.
    if (!commitPerBundle) {
      read = read.commitOffsetsInFinalize();
    }
    Coder<RawEvent> coder = CompactSchemaCoder.of(begin.getPipeline(), RawEvent.class);
    if (recordsPerElement > 0) {
      PCollection<List<TimestampedValue<KafkaRecord<byte[], byte[]>>>> batches =
          begin.apply("ReadKafka", Read.from(new BatchedUnboundedSource<>(unboundedSource(read), recordsPerElement)));
      if (commitPerBundle) {
        batches.apply("CommitReadOffsets", ParDo.of(CommitReadOffsets.ofBatches(bootstrapServers, consumerGroup, clientSettings)));
      }
      return batches.apply("ToRawEvents", ParDo.of(new Unbatch<>(KafkaFeatureSource::toRawEvent))).setCoder(coder);
    }
    PCollection<KafkaRecord<byte[], byte[]>> records = begin.apply("ReadKafka", read);
    if (commitPerBundle) {
      records.apply("CommitReadOffsets", ParDo.of(CommitReadOffsets.ofRecords(bootstrapServers, consumerGroup, clientSettings)));
    }
    return records.apply("ToRawEvents", MapElements.into(TypeDescriptor.of(RawEvent.class)).via(KafkaFeatureSource::toRawEvent))
        .setCoder(coder);
  }

  /** The payload, where it came from, and the record's key ({@code symbol:exchange}). */
  static RawEvent toRawEvent(KafkaRecord<byte[], byte[]> r) {
    return RawEvent.of(r.getKV().getValue(), "kafka:" + r.getTopic() + "/" + r.getPartition() + "@" + r.getOffset(),
        r.getKV().getKey() == null ? null : new String(r.getKV().getKey(), StandardCharsets.UTF_8));
  }
}
