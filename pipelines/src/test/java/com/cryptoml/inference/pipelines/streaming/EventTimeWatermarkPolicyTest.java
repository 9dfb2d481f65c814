package com.cryptoml.inference.pipelines.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The replay watermark: a partition follows the others only once it is really idle. */
class EventTimeWatermarkPolicyTest {
  static final long T0 = Instant.parse("2024-01-01T00:00:00Z").getMillis();
  static final long MINUTE = 60_000;

  static PartitionContext backlog(long messages) {
    return new PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return messages;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return Instant.now();
      }
    };
  }

  static KafkaRecord<byte[], byte[]> bar(long millis) {
    byte[] json = ("{\"timestamp\":\"" + new Instant(millis) + "\",\"symbol\":\"BTCUSDT\"}").getBytes(StandardCharsets.UTF_8);
    return new KafkaRecord<>("features.1m", 0, 0, 0, KafkaTimestampType.CREATE_TIME, null, KV.of(new byte[0], json));
  }

  /** A partition's policy in a pipeline's group, one minute of allowed delay, on the test's clock. */
  static EventTimeWatermarkPolicy policy(String group, AtomicLong now) {
    return new EventTimeWatermarkPolicy(group, Duration.standardMinutes(1), BarTimeLimit.none(), Optional.empty(), now::get);
  }

  @Test
  void aBusyPartitionWithAStaleZeroBacklogKeepsItsOwnWatermark() {
    String group = UUID.randomUUID().toString();
    AtomicLong now = new AtomicLong(1_000_000);
    EventTimeWatermarkPolicy busy = policy(group, now);
    EventTimeWatermarkPolicy fast = policy(group, now);
    assertEquals(new Instant(T0 + 10 * MINUTE), busy.getTimestampForRecord(backlog(5), bar(T0 + 10 * MINUTE)));
    fast.getTimestampForRecord(backlog(0), bar(T0 + 600 * MINUTE)); // another partition, ten hours ahead
    now.addAndGet(200);
    // the backlog estimate says 0 but this partition read a record 200 ms ago: its bars may still be coming
    assertEquals(new Instant(T0 + 9 * MINUTE), busy.getWatermark(backlog(0)));
    // with a backlog it never follows the others
    now.addAndGet(EventTimeWatermarkPolicy.IDLE_MILLIS);
    assertEquals(new Instant(T0 + 9 * MINUTE), busy.getWatermark(backlog(3)));
    // idle for a second with nothing left: it follows the newest bar anywhere
    assertEquals(new Instant(T0 + 599 * MINUTE), busy.getWatermark(backlog(0)));
  }

  @Test
  void aPartitionThatNeverHadARecordFollowsTheOthersAtOnce() {
    String group = UUID.randomUUID().toString();
    AtomicLong now = new AtomicLong(1_000_000);
    EventTimeWatermarkPolicy active = policy(group, now);
    EventTimeWatermarkPolicy empty = policy(group, now);
    active.getTimestampForRecord(backlog(0), bar(T0 + 30 * MINUTE));
    assertEquals(new Instant(T0 + 29 * MINUTE), empty.getWatermark(backlog(0)));
  }
}
