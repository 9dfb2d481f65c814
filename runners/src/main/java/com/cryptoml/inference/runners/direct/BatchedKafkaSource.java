package com.cryptoml.inference.runners.direct;

import com.cryptoml.inference.pipelines.streaming.KafkaFeatureSource;
import com.cryptoml.inference.transforms.values.RawEvent;
import com.cryptoml.inference.transforms.values.Schemas;
import java.lang.reflect.Method;
import java.util.List;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * The Direct runner's read of {@link KafkaFeatureSource}: KafkaIO's own unbounded source, wrapped so
 * that each element is a batch of up to {@code recordsPerElement} records ({@link
 * BatchedUnboundedSource}, unpacked by {@link Unbatch}), with offsets committed as each bundle of them
 * finishes ({@link CommitReadOffsets}). The Direct runner hands over 10 elements per bundle and pays
 * its per-step cost per bundle, and its checkpoint finalization commits nothing through
 * {@code KafkaIO.read()}. See docs/decisions/direct-runner-kafka-source.md.
 */
final class BatchedKafkaSource extends PTransform<PBegin, PCollection<RawEvent>> {
  private final KafkaFeatureSource stock;
  private final int recordsPerElement;

  BatchedKafkaSource(KafkaFeatureSource stock, int recordsPerElement) {
    if (recordsPerElement < 1) {
      throw new IllegalArgumentException("records per element must be at least 1, got " + recordsPerElement);
    }
    this.stock = stock;
    this.recordsPerElement = recordsPerElement;
  }

  /** KafkaIO's unbounded source for {@code read}: what its own expansion reads through on the Direct runner. */
  @SuppressWarnings("unchecked")
  static UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> unboundedSource(KafkaIO.Read<byte[], byte[]> read) {
    try {
      Method make = KafkaIO.Read.class.getDeclaredMethod("makeSource");
      make.setAccessible(true);
      return (UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark>) make.invoke(read);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this Beam version's KafkaIO.Read has no makeSource(); run without the kafka-read"
          + " adaptation (--directAdaptations=-kafka-read)", e);
    }
  }

  @Override
  public PCollection<RawEvent> expand(PBegin begin) {
    // One committer only: KafkaIO's finalize-commit (not asked for here) would commit from its poll
    // thread, where a commit that fails during a broker restart kills the reader.
    PCollection<List<TimestampedValue<KafkaRecord<byte[], byte[]>>>> batches = begin.apply("ReadKafkaInBatches",
        Read.from(new BatchedUnboundedSource<>(unboundedSource(stock.kafkaRead()), recordsPerElement)));
    batches.apply("CommitReadOffsets", ParDo.of(CommitReadOffsets.ofBatches(stock.bootstrapServers(), stock.consumerGroup(),
        stock.clientSettings())));
    return batches.apply("UnbatchToRawEvents", ParDo.of(new Unbatch<>(KafkaFeatureSource::toRawEvent)))
        .setCoder(Schemas.coder(begin.getPipeline(), RawEvent.class));
  }
}
