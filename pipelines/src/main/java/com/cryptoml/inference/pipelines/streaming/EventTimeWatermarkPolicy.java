package com.cryptoml.inference.pipelines.streaming;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A watermark that follows event time only, for replays of history through Kafka (the demo, tests,
 * re-feeding a day after an outage): each partition's watermark trails its newest bar time by
 * {@code maxDelay}; a caught-up partition follows the newest bar time seen on any partition (in this
 * JVM) instead of the clock, which would jump to today and make every replayed bar late.
 *
 * <p>Caught up means: the reader's backlog estimate is 0 and no record came for {@link #IDLE_MILLIS}.
 * The estimate alone is not enough: KafkaIO refreshes the latest offsets about once a second, and a
 * fast replay moves bar time by hours in a second, so a busy partition taken for caught up would jump
 * ahead of its own unread bars and make them late.
 */
public final class EventTimeWatermarkPolicy extends TimestampPolicy<byte[], byte[]> {
  private static final ConcurrentHashMap<String, AtomicLong> NEWEST = new ConcurrentHashMap<>();
  static final long IDLE_MILLIS = 1_000;

  private final AtomicLong newestAnywhere;
  private final Duration maxDelay;
  private final BarTimeLimit limit;
  private final LongSupplier clock;
  private long newestHere = Long.MIN_VALUE;
  private long lastRecordAt = Long.MIN_VALUE;
  private long watermark;

  EventTimeWatermarkPolicy(String group, Duration maxDelay, BarTimeLimit limit, Optional<Instant> previous, LongSupplier clock) {
    this.clock = clock;
    this.newestAnywhere = NEWEST.computeIfAbsent(group, g -> new AtomicLong(Long.MIN_VALUE));
    this.maxDelay = maxDelay;
    this.limit = limit;
    this.watermark = previous.map(Instant::getMillis).orElse(Long.MIN_VALUE);
  }

  /** One factory per pipeline: its partitions share the newest bar time. */
  public static TimestampPolicyFactory<byte[], byte[]> withMaxDelay(Duration maxDelay, BarTimeLimit limit) {
    String group = UUID.randomUUID().toString();
    return (TopicPartition tp, Optional<Instant> previous) -> new EventTimeWatermarkPolicy(group, maxDelay, limit, previous,
        System::currentTimeMillis);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    lastRecordAt = clock.getAsLong();
    Instant t = BarTimestampPolicy.barTime(record.getKV().getValue());
    if (t == null || !limit.allows(t.getMillis())) {
      // No usable bar time (the record is dead-lettered downstream): it moves nothing. The wall clock
      // would be years ahead of a replay.
      long behind = newestHere != Long.MIN_VALUE ? newestHere : watermark;
      return behind != Long.MIN_VALUE ? new Instant(behind) : new Instant(record.getTimestamp());
    }
    newestHere = Math.max(newestHere, t.getMillis());
    newestAnywhere.accumulateAndGet(t.getMillis(), Math::max);
    return t;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    long newest = caughtUp(ctx) ? Math.max(newestHere, newestAnywhere.get()) : newestHere;
    if (newest != Long.MIN_VALUE) {
      watermark = Math.max(watermark, newest - maxDelay.getMillis());
    }
    return watermark == Long.MIN_VALUE ? org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE
        : new Instant(watermark);
  }

  private boolean caughtUp(PartitionContext ctx) {
    if (ctx.getMessageBacklog() != 0) {
      return false;
    }
    return lastRecordAt == Long.MIN_VALUE || clock.getAsLong() - lastRecordAt >= IDLE_MILLIS;
  }
}
