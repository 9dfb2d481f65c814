package com.cryptoml.inference.runners.direct;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Unbounded readers closed right after they gave a checkpoint, kept open for a while in case the runner
 * resumes from that very checkpoint. The Direct runner closes an unbounded reader after about one bundle
 * in 20, at random, and resumes a new one from the checkpoint, to exercise resumption; for Kafka that is
 * a new consumer, which takes tens of milliseconds before its first record, and every record arriving
 * meanwhile waits. A reader handed back here is at
 * exactly the position the checkpoint records, so resuming through it neither repeats nor skips a record;
 * any other checkpoint gets a fresh reader, and one not claimed in time is closed.
 */
final class ParkedReaders {
  private static final ConcurrentHashMap<String, Parked> PARKED = new ConcurrentHashMap<>();
  private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "parked-unbounded-readers");
    t.setDaemon(true);
    return t;
  });

  private ParkedReaders() {}

  private record Parked(UnboundedReader<?> reader, byte[] checkpoint) {}

  /** Keeps {@code reader}, positioned at the encoded {@code checkpoint}, for {@code millis} under {@code id}. */
  static void park(String id, UnboundedReader<?> reader, byte[] checkpoint, long millis) {
    Parked parked = new Parked(reader, checkpoint);
    Parked before = PARKED.put(id, parked);
    if (before != null) {
      close(before.reader());
    }
    CLOSER.schedule(() -> {
      if (PARKED.remove(id, parked)) {
        close(reader);
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  /** The reader parked under {@code id} at {@code checkpoint}, or null (and any other parked there is closed). */
  static @Nullable UnboundedReader<?> claim(String id, byte[] checkpoint) {
    Parked parked = PARKED.remove(id);
    if (parked == null) {
      return null;
    }
    if (Arrays.equals(parked.checkpoint(), checkpoint)) {
      return parked.reader();
    }
    close(parked.reader());
    return null;
  }

  private static void close(UnboundedReader<?> reader) {
    OpenReaders.close(reader);
  }
}
