package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.transforms.values.RawEvent;
import com.cryptoml.inference.transforms.values.Schemas;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;

/**
 * Feature updates from Kafka through {@link KafkaIO#read()}: one topic per enabled timeframe, keys
 * {@code symbol:exchange}, values the JSON event. Event time is the bar time in the payload ({@link
 * BarTimestampPolicy}, or {@link EventTimeWatermarkPolicy} for replays), unless it is beyond {@link
 * BarTimeLimit}. Offsets are committed when the runner finalizes a checkpoint, that is after the
 * records' results are durably processed: at-least-once, and a restarted pipeline resumes where the
 * last one committed.
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

  /**
   * @param startOffset Kafka's {@code auto.offset.reset}: latest or earliest
   * @param eventTimeWatermark a caught-up partition's watermark follows the newest bar time, not the clock
   */
  public KafkaFeatureSource(String bootstrapServers, List<String> topics, String consumerGroup, String startOffset,
      Duration maxDelay, Map<String, Object> clientSettings, boolean eventTimeWatermark, BarTimeLimit limit) {
    this.bootstrapServers = bootstrapServers;
    this.topics = List.copyOf(topics);
    this.consumerGroup = consumerGroup;
    this.startOffset = startOffset;
    this.maxDelay = maxDelay;
    this.clientSettings = Map.copyOf(clientSettings);
    this.eventTimeWatermark = eventTimeWatermark;
    this.limit = limit;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String consumerGroup() {
    return consumerGroup;
  }

  public Map<String, Object> clientSettings() {
    return clientSettings;
  }

  /** The configured read, without offset commits: what this source and a runner's own read of it share. */
  public KafkaIO.Read<byte[], byte[]> kafkaRead() {
    Map<String, Object> consumer = new HashMap<>(clientSettings);
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startOffset);
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1 << 20); // bounds what one poll can buffer
    return KafkaIO.<byte[], byte[]>read()
        .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
        .withValueDeserializerAndCoder(ByteArrayDeserializer.class, ByteArrayCoder.of())
        .withBootstrapServers(bootstrapServers)
        .withTopics(topics)
        .withConsumerConfigUpdates(consumer)
        .withTimestampPolicyFactory(eventTimeWatermark ? EventTimeWatermarkPolicy.withMaxDelay(maxDelay, limit)
            : BarTimestampPolicy.withMaxDelay(maxDelay, limit));
  }

  @Override
  public PCollection<RawEvent> expand(PBegin begin) {
    return begin.apply("ReadKafka", kafkaRead().commitOffsetsInFinalize())
        .apply("ToRawEvents", MapElements.into(TypeDescriptor.of(RawEvent.class)).via(KafkaFeatureSource::toRawEvent))
        .setCoder(Schemas.coder(begin.getPipeline(), RawEvent.class));
  }

  /** The payload, where it came from, and the record's key ({@code symbol:exchange}). */
  public static RawEvent toRawEvent(KafkaRecord<byte[], byte[]> r) {
    return RawEvent.of(r.getKV().getValue(), "kafka:" + r.getTopic() + "/" + r.getPartition() + "@" + r.getOffset(),
        r.getKV().getKey() == null ? null : new String(r.getKV().getKey(), StandardCharsets.UTF_8));
  }
}
