package com.cryptoml.inference.pipelines.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
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
        60_000_000_000L);
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
}
