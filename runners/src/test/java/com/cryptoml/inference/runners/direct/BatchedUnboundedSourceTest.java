package com.cryptoml.inference.runners.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.UnboundedSource.CheckpointMark;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Batches over Beam's own counting source: order, event times, and resumption from checkpoints. */
class BatchedUnboundedSourceTest {
  static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  // Odd numbers are 500 ms older than their even neighbours: a batch's earliest record is not its first.
  static Instant eventTime(Long i) {
    return new Instant(1_000_000 + i * 10 - (i % 2 == 1 ? 500 : 0));
  }

  static BatchedUnboundedSource<Long, CountingSource.CounterMark> source(int maxRecords) {
    // A minute to fill a batch: these tests count records per batch, which the 5 ms bound would make
    // depend on how busy the machine is (CI once filled 4 of 100 in time).
    return new BatchedUnboundedSource<>(CountingSource.unboundedWithTimestampFn(BatchedUnboundedSourceTest::eventTime), maxRecords,
        60_000_000_000L, UUID.randomUUID().toString(), BatchedUnboundedSource.PARK_MILLIS);
  }

  /** Beam's counting source, counting the readers it creates and closes. */
  static final class Counted extends UnboundedSource<Long, CountingSource.CounterMark> {
    final UnboundedSource<Long, CountingSource.CounterMark> inner = CountingSource.unboundedWithTimestampFn(BatchedUnboundedSourceTest::eventTime);
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public List<Counted> split(int desiredNumSplits, PipelineOptions options) {
      return List.of(this);
    }

    @Override
    public UnboundedReader<Long> createReader(PipelineOptions options, CountingSource.CounterMark checkpoint) throws IOException {
      created.incrementAndGet();
      UnboundedReader<Long> reader = inner.createReader(options, checkpoint);
      return new UnboundedReader<>() {
        @Override public boolean start() throws IOException { return reader.start(); }
        @Override public boolean advance() throws IOException { return reader.advance(); }
        @Override public Long getCurrent() { return reader.getCurrent(); }
        @Override public Instant getCurrentTimestamp() { return reader.getCurrentTimestamp(); }
        @Override public Instant getWatermark() { return reader.getWatermark(); }
        @Override public CheckpointMark getCheckpointMark() { return reader.getCheckpointMark(); }
        @Override public UnboundedSource<Long, ?> getCurrentSource() { return Counted.this; }
        @Override public void close() throws IOException {
          closed.incrementAndGet();
          reader.close();
        }
      };
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<CountingSource.CounterMark> getCheckpointMarkCoder() {
      return inner.getCheckpointMarkCoder();
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Long> getOutputCoder() {
      return inner.getOutputCoder();
    }
  }

  static BatchedUnboundedSource<Long, CountingSource.CounterMark> counted(Counted counted, long parkMillis) {
    return new BatchedUnboundedSource<>(counted, 50, 60_000_000_000L, UUID.randomUUID().toString(), parkMillis);
  }

  /** Reads two batches of 50 and returns the checkpoint after them (records 0 to 99), as a runner keeps it. */
  static CountingSource.CounterMark twoBatches(BatchedUnboundedSource<Long, CountingSource.CounterMark> source,
      UnboundedReader<List<TimestampedValue<Long>>> reader) throws Exception {
    assertTrue(reader.start());
    assertTrue(reader.advance());
    assertBatch(reader, 50, 50);
    return CoderUtils.clone(source.getCheckpointMarkCoder(), (CountingSource.CounterMark) reader.getCheckpointMark());
  }

  static void assertBatch(UnboundedReader<List<TimestampedValue<Long>>> reader, long first, int size) {
    List<TimestampedValue<Long>> batch = reader.getCurrent();
    assertEquals(size, batch.size());
    Instant earliest = batch.get(0).getTimestamp();
    for (int k = 0; k < size; k++) {
      assertEquals(first + k, batch.get(k).getValue());
      assertEquals(eventTime(first + k), batch.get(k).getTimestamp(), "each record keeps its own event time");
      earliest = batch.get(k).getTimestamp().isBefore(earliest) ? batch.get(k).getTimestamp() : earliest;
    }
    assertEquals(earliest, reader.getCurrentTimestamp(), "a batch is as old as its oldest record");
    assertTrue(reader.getCurrentTimestamp().isBefore(batch.get(0).getTimestamp()));
  }

  @Test
  void batchesAreConsecutiveRecordsWithTheirOwnEventTimes() throws Exception {
    try (UnboundedReader<List<TimestampedValue<Long>>> reader = source(100).createReader(OPTIONS, null)) {
      assertThrows(NoSuchElementException.class, reader::getCurrent);
      assertTrue(reader.start());
      assertBatch(reader, 0, 100);
      assertTrue(reader.advance());
      assertBatch(reader, 100, 100);
    }
  }

  @Test
  void aReaderResumedFromACheckpointNeitherRepeatsNorSkips() throws Exception {
    BatchedUnboundedSource<Long, CountingSource.CounterMark> source = source(50);
    CheckpointMark mark;
    try (UnboundedReader<List<TimestampedValue<Long>>> reader = source.createReader(OPTIONS, null)) {
      assertTrue(reader.start());
      assertTrue(reader.advance());
      assertTrue(reader.advance());
      assertBatch(reader, 100, 50);
      mark = reader.getCheckpointMark();
    }
    // as a runner keeps it: encoded, then decoded for the next reader
    @SuppressWarnings("unchecked")
    CountingSource.CounterMark restored = CoderUtils.clone(source.getCheckpointMarkCoder(), (CountingSource.CounterMark) mark);
    try (UnboundedReader<List<TimestampedValue<Long>>> reader = source.createReader(OPTIONS, restored)) {
      assertTrue(reader.start());
      assertBatch(reader, 150, 50);
    }
  }

  @Test
  void splitsStayBatchedAndTheOutputCoderCarriesEventTimes() throws Exception {
    List<? extends UnboundedSource<List<TimestampedValue<Long>>, CountingSource.CounterMark>> splits = source(10).split(3, OPTIONS);
    assertEquals(3, splits.size());
    for (UnboundedSource<List<TimestampedValue<Long>>, CountingSource.CounterMark> s : splits) {
      assertTrue(s instanceof BatchedUnboundedSource);
    }
    try (UnboundedReader<List<TimestampedValue<Long>>> reader = source(10).createReader(OPTIONS, null)) {
      assertTrue(reader.start());
      List<TimestampedValue<Long>> copy = CoderUtils.clone(source(10).getOutputCoder(), reader.getCurrent());
      assertEquals(reader.getCurrent(), copy);
    }
    assertThrows(IllegalArgumentException.class, () -> source(0));
  }

  @Test
  void aReaderClosedRightAfterItsCheckpointIsResumedInPlace() throws Exception {
    Counted counted = new Counted();
    BatchedUnboundedSource<Long, CountingSource.CounterMark> source = counted(counted, 60_000);
    UnboundedReader<List<TimestampedValue<Long>>> first = source.createReader(OPTIONS, null);
    CountingSource.CounterMark mark = twoBatches(source, first);
    first.close();
    try (UnboundedReader<List<TimestampedValue<Long>>> resumed = source.createReader(OPTIONS, mark)) {
      assertTrue(resumed.start());
      assertBatch(resumed, 100, 50);
      assertEquals(1, counted.created.get(), "the runner's resumption got the parked reader");
      assertEquals(0, counted.closed.get());
    }
    assertEquals(1, counted.closed.get(), "closed for real when it read past its checkpoint");
  }

  @Test
  void aReaderThatReadPastItsCheckpointOrAnotherCheckpointGetsAFreshReader() throws Exception {
    Counted counted = new Counted();
    BatchedUnboundedSource<Long, CountingSource.CounterMark> source = counted(counted, 60_000);
    UnboundedReader<List<TimestampedValue<Long>>> first = source.createReader(OPTIONS, null);
    CountingSource.CounterMark mark = twoBatches(source, first);
    assertTrue(first.advance()); // records 100 to 149: the reader is past the checkpoint
    first.close();
    assertEquals(1, counted.closed.get());
    UnboundedReader<List<TimestampedValue<Long>>> second = source.createReader(OPTIONS, mark);
    assertTrue(second.start());
    assertBatch(second, 100, 50);
    assertEquals(2, counted.created.get());
    second.getCheckpointMark(); // parked at 150
    second.close();
    try (UnboundedReader<List<TimestampedValue<Long>>> third = source.createReader(OPTIONS, mark)) { // back at 100
      assertTrue(third.start());
      assertBatch(third, 100, 50);
      assertEquals(3, counted.created.get(), "a parked reader at another checkpoint is not handed out");
      assertEquals(2, counted.closed.get(), "and it is closed");
    }
  }

  @Test
  void aParkedReaderNobodyResumesIsClosed() throws Exception {
    Counted counted = new Counted();
    BatchedUnboundedSource<Long, CountingSource.CounterMark> source = counted(counted, 50);
    UnboundedReader<List<TimestampedValue<Long>>> reader = source.createReader(OPTIONS, null);
    CountingSource.CounterMark mark = twoBatches(source, reader);
    reader.close();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (counted.closed.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, counted.closed.get());
    try (UnboundedReader<List<TimestampedValue<Long>>> fresh = source.createReader(OPTIONS, mark)) {
      assertTrue(fresh.start());
      assertBatch(fresh, 100, 50);
      assertEquals(2, counted.created.get());
    }
  }

  @Test
  void closingAPipelinesReadersClosesThoseItOpenedAndParkedOnly() throws Exception {
    PipelineOptions pipeline = PipelineOptionsFactory.create();
    PipelineOptions other = PipelineOptionsFactory.create();
    Counted counted = new Counted();
    BatchedUnboundedSource<Long, CountingSource.CounterMark> source = counted(counted, 60_000);
    UnboundedReader<List<TimestampedValue<Long>>> parked = source.createReader(pipeline, null);
    twoBatches(source, parked);
    parked.close(); // right after its checkpoint: parked, still open
    UnboundedReader<List<TimestampedValue<Long>>> reading = source.createReader(pipeline, null);
    assertTrue(reading.start());
    Counted otherCounted = new Counted();
    UnboundedReader<List<TimestampedValue<Long>>> elsewhere = counted(otherCounted, 60_000).createReader(other, null);
    assertTrue(elsewhere.start());
    assertEquals(0, counted.closed.get());

    DirectRunnerAdaptations.closeReaders(pipeline);

    assertEquals(2, counted.closed.get(), "the parked reader and the one reading");
    assertEquals(0, OpenReaders.count(pipeline.getOptionsId()));
    assertEquals(0, otherCounted.closed.get(), "another pipeline's reader stays open");
    elsewhere.close();
    assertEquals(1, otherCounted.closed.get());
    assertEquals(0, OpenReaders.count(other.getOptionsId()), "a reader closed by the runner is forgotten");
  }

  @Test
  void theReadersOfACancelledDirectRunnerStreamAreLeftOpenUntilClosedHere() throws Exception {
    org.apache.beam.runners.direct.DirectOptions options = PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--blockOnRun=false")
        .as(org.apache.beam.runners.direct.DirectOptions.class);
    options.as(org.apache.beam.sdk.options.StreamingOptions.class).setStreaming(true);
    org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create(options);
    p.apply(org.apache.beam.sdk.io.Read.from(source(100)));
    org.apache.beam.sdk.PipelineResult result = p.run();
    long id = options.getOptionsId();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (OpenReaders.count(id) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(OpenReaders.count(id) > 0, "the runner reads through readers registered under its options' id");
    result.cancel();
    Thread.sleep(200);
    assertTrue(OpenReaders.count(id) > 0, "the Direct runner does not close a cancelled pipeline's readers");
    DirectRunnerAdaptations.closeReaders(options);
    assertEquals(0, OpenReaders.count(id));
  }
}
