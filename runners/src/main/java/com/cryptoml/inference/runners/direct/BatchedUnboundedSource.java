package com.cryptoml.inference.runners.direct;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Wraps an {@link UnboundedSource} so that each element is a batch of the records its reader has at
 * hand (up to {@code maxRecords}), each with its own event time; {@link Unbatch} unpacks them.
 *
 * <p>Why: the Direct runner takes at most 10 elements from an unbounded reader per bundle, and every
 * step then pays its per-bundle cost (it translates the step again, commits state, refreshes watermarks)
 * for those 10 records, which caps a stream of one-record elements at a few hundred events/s whatever
 * the rest does (docs/decisions/direct-runner-kafka-source.md). With batches as elements, a bundle carries what the
 * reader had buffered (at most 10 batches of {@code maxRecords}; a batch waits at most 5 ms). A batch's
 * timestamp is the earliest of its records', so unpacking only moves timestamps forward and the batch
 * holds the watermark for all of them. Checkpoints are the inner reader's: a batch is whole records up
 * to the reader's position, so resuming from a checkpoint neither repeats nor skips a record. A reader
 * closed right after its checkpoint is kept open for a while ({@link ParkedReaders}): the Direct runner
 * closes readers at random to resume them from their checkpoints, and a new Kafka consumer stalls the
 * stream for tens of milliseconds each time.
 */
public final class BatchedUnboundedSource<T, C extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<List<TimestampedValue<T>>, C> {
  /**
   * How long one element may wait for records. A batch takes what the reader has buffered, not what is
   * still to come: KafkaIO's reader waits for each next record as long as they keep arriving, so a
   * batch bounded by its size alone would wait for 1,000 records of a 200 events/s stream (5 seconds).
   */
  static final long MAX_FILL_NANOS = 5_000_000;

  /** How long a closed reader waits to be resumed ({@link ParkedReaders}); the runner resumes at once. */
  static final long PARK_MILLIS = 30_000;

  private final UnboundedSource<T, C> delegate;
  private final int maxRecords;
  private final long maxFillNanos;
  /** This source's (or split's) name for its parked reader. */
  private final String id;
  private final long parkMillis;

  public BatchedUnboundedSource(UnboundedSource<T, C> delegate, int maxRecords) {
    this(delegate, maxRecords, MAX_FILL_NANOS, UUID.randomUUID().toString(), PARK_MILLIS);
  }

  /**
   * With another bound on a batch's wait (tests that count records per batch on a busy machine) and
   * another time a closed reader waits to be resumed.
   */
  BatchedUnboundedSource(UnboundedSource<T, C> delegate, int maxRecords, long maxFillNanos, String id, long parkMillis) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1, got " + maxRecords);
    }
    this.delegate = delegate;
    this.maxRecords = maxRecords;
    this.maxFillNanos = maxFillNanos;
    this.id = id;
    this.parkMillis = parkMillis;
  }

  @Override
  public List<BatchedUnboundedSource<T, C>> split(int desiredNumSplits, PipelineOptions options) throws Exception {
    List<BatchedUnboundedSource<T, C>> splits = new ArrayList<>();
    for (UnboundedSource<T, C> s : delegate.split(desiredNumSplits, options)) {
      splits.add(new BatchedUnboundedSource<>(s, maxRecords, maxFillNanos, id + "/" + splits.size(), parkMillis));
    }
    return splits;
  }

  @Override
  @SuppressWarnings("unchecked")
  public UnboundedReader<List<TimestampedValue<T>>> createReader(PipelineOptions options, @Nullable C checkpoint)
      throws IOException {
    if (checkpoint != null) {
      UnboundedReader<T> parked = (UnboundedReader<T>) ParkedReaders.claim(id, encode(checkpoint));
      if (parked != null) {
        return new Reader(parked, true);
      }
    }
    UnboundedReader<T> inner = delegate.createReader(options, checkpoint);
    OpenReaders.opened(inner, options.getOptionsId());
    return new Reader(inner, false);
  }

  private byte[] encode(C checkpoint) throws IOException {
    return CoderUtils.encodeToByteArray(delegate.getCheckpointMarkCoder(), checkpoint);
  }

  @Override
  public Coder<C> getCheckpointMarkCoder() {
    return delegate.getCheckpointMarkCoder();
  }

  @Override
  public Coder<List<TimestampedValue<T>>> getOutputCoder() {
    return ListCoder.of(TimestampedValue.TimestampedValueCoder.of(delegate.getOutputCoder()));
  }

  @Override
  public boolean requiresDeduping() {
    // Record ids would be per batch; the sources this wraps (Kafka) do not need deduping.
    return false;
  }

  @Override
  public void validate() {
    if (delegate.requiresDeduping()) {
      throw new IllegalArgumentException("cannot batch a source that requires deduping: " + delegate);
    }
    delegate.validate();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    delegate.populateDisplayData(builder);
    builder.add(DisplayData.item("maxRecordsPerElement", maxRecords));
  }

  private final class Reader extends UnboundedReader<List<TimestampedValue<T>>> {
    private final UnboundedReader<T> inner;
    /** The inner reader was parked: it has started, and start() goes on from where it stands. */
    private final boolean resumed;
    private List<TimestampedValue<T>> current;
    private Instant currentTimestamp;
    // The last batch ended because the inner reader had nothing more at hand: the next advance() ends
    // the runner's bundle at once instead of waiting on the inner reader again.
    private boolean drained;
    /** The checkpoint last given, while nothing was read after it: only then may close() park the reader. */
    private @Nullable C lastCheckpoint;

    Reader(UnboundedReader<T> inner, boolean resumed) {
      this.inner = inner;
      this.resumed = resumed;
    }

    @Override
    public boolean start() throws IOException {
      if (resumed) {
        return advance();
      }
      lastCheckpoint = null;
      List<TimestampedValue<T>> batch = new ArrayList<>();
      if (inner.start()) {
        add(batch);
        fill(batch);
      }
      return publish(batch);
    }

    @Override
    public boolean advance() throws IOException {
      lastCheckpoint = null;
      List<TimestampedValue<T>> batch = new ArrayList<>();
      if (drained) {
        drained = false;
      } else {
        fill(batch);
      }
      return publish(batch);
    }

    private void fill(List<TimestampedValue<T>> batch) throws IOException {
      long deadline = System.nanoTime() + maxFillNanos;
      while (batch.size() < maxRecords) {
        if (!inner.advance()) {
          drained = true;
          return;
        }
        add(batch);
        if (System.nanoTime() - deadline >= 0) {
          drained = true; // records are trickling in one by one: hand over what there is
          return;
        }
      }
    }

    private void add(List<TimestampedValue<T>> batch) {
      batch.add(TimestampedValue.of(inner.getCurrent(), inner.getCurrentTimestamp()));
    }

    private boolean publish(List<TimestampedValue<T>> batch) {
      if (batch.isEmpty()) {
        current = null;
        return false;
      }
      Instant earliest = batch.get(0).getTimestamp();
      for (TimestampedValue<T> v : batch) {
        earliest = v.getTimestamp().isBefore(earliest) ? v.getTimestamp() : earliest;
      }
      current = batch;
      currentTimestamp = earliest;
      return true;
    }

    @Override
    public List<TimestampedValue<T>> getCurrent() throws NoSuchElementException {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() throws NoSuchElementException {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return currentTimestamp;
    }

    @Override
    public Instant getWatermark() {
      return inner.getWatermark();
    }

    @Override
    @SuppressWarnings("unchecked")
    public CheckpointMark getCheckpointMark() {
      C mark = (C) inner.getCheckpointMark();
      lastCheckpoint = mark;
      return mark;
    }

    @Override
    public long getSplitBacklogBytes() {
      return inner.getSplitBacklogBytes();
    }

    @Override
    public long getTotalBacklogBytes() {
      return inner.getTotalBacklogBytes();
    }

    @Override
    public UnboundedSource<List<TimestampedValue<T>>, ?> getCurrentSource() {
      return BatchedUnboundedSource.this;
    }

    @Override
    public void close() throws IOException {
      C mark = lastCheckpoint;
      lastCheckpoint = null;
      if (mark == null) {
        OpenReaders.close(inner);
        return;
      }
      ParkedReaders.park(id, inner, encode(mark), parkMillis);
    }
  }
}
