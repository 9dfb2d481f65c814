package com.cryptoml.inference.pipelines.streaming;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Wraps an {@link UnboundedSource} so that each element is a batch of the records its reader has at
 * hand (up to {@code maxRecords}), each with its own event time; {@link ReadInBatches} unpacks them.
 *
 * <p>Why: the Direct runner takes at most 10 elements from an unbounded reader per bundle, and every
 * step then pays its per-bundle cost (it translates the step again, commits state, refreshes watermarks)
 * for those 10 records. Measured on the streaming pipeline, that per-bundle cost capped the stream at a
 * few hundred events/s whatever the rest did. With batches as elements, a bundle carries what the
 * reader had buffered (at most 10 batches of {@code maxRecords}; a batch waits at most 5 ms). A batch's timestamp is the earliest of its records', so unpacking only moves
 * timestamps forward and the batch holds the watermark for all of them. Checkpoints are the inner
 * reader's: a batch is whole records up to the reader's position, so resuming from a checkpoint
 * neither repeats nor skips a record.
 */
public final class BatchedUnboundedSource<T, C extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<List<TimestampedValue<T>>, C> {
  /**
   * How long one element may wait for records. A batch takes what the reader has buffered, not what is
   * still to come: KafkaIO's reader waits for each next record as long as they keep arriving, so a
   * batch bounded by its size alone waited for 1,000 records of a 200 events/s stream (5 seconds).
   */
  static final long MAX_FILL_NANOS = 5_000_000;

  private final UnboundedSource<T, C> delegate;
  private final int maxRecords;
  private final long maxFillNanos;

  public BatchedUnboundedSource(UnboundedSource<T, C> delegate, int maxRecords) {
    this(delegate, maxRecords, MAX_FILL_NANOS);
  }

  /** With another bound on a batch's wait (tests that count records per batch on a busy machine). */
  BatchedUnboundedSource(UnboundedSource<T, C> delegate, int maxRecords, long maxFillNanos) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1, got " + maxRecords);
    }
    this.delegate = delegate;
    this.maxRecords = maxRecords;
    this.maxFillNanos = maxFillNanos;
  }

  @Override
  public List<BatchedUnboundedSource<T, C>> split(int desiredNumSplits, PipelineOptions options) throws Exception {
    List<BatchedUnboundedSource<T, C>> splits = new ArrayList<>();
    for (UnboundedSource<T, C> s : delegate.split(desiredNumSplits, options)) {
      splits.add(new BatchedUnboundedSource<>(s, maxRecords, maxFillNanos));
    }
    return splits;
  }

  @Override
  public UnboundedReader<List<TimestampedValue<T>>> createReader(PipelineOptions options, @Nullable C checkpoint)
      throws IOException {
    return new Reader(delegate.createReader(options, checkpoint));
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
    private List<TimestampedValue<T>> current;
    private Instant currentTimestamp;
    // The last batch ended because the inner reader had nothing more at hand: the next advance() ends
    // the runner's bundle at once instead of waiting on the inner reader again.
    private boolean drained;

    Reader(UnboundedReader<T> inner) {
      this.inner = inner;
    }

    @Override
    public boolean start() throws IOException {
      List<TimestampedValue<T>> batch = new ArrayList<>();
      if (inner.start()) {
        add(batch);
        fill(batch);
      }
      return publish(batch);
    }

    @Override
    public boolean advance() throws IOException {
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
    public CheckpointMark getCheckpointMark() {
      return inner.getCheckpointMark();
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
      inner.close();
    }
  }
}
