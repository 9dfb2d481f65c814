package com.cryptoml.inference.pipelines.streaming;

import java.util.List;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * Reads an unbounded source through {@link BatchedUnboundedSource} and unpacks the batches: the same
 * records with the same event times as reading the source directly, in bundles as large as the reader
 * has at hand instead of the Direct runner's 10 elements.
 */
public final class ReadInBatches<T> extends PTransform<PBegin, PCollection<T>> {
  private final UnboundedSource<T, ?> source;
  private final int maxRecords;

  public ReadInBatches(UnboundedSource<T, ?> source, int maxRecords) {
    this.source = source;
    this.maxRecords = maxRecords;
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    return begin.apply("ReadBatches", Read.from(new BatchedUnboundedSource<>(source, maxRecords)))
        .apply("Unbatch", ParDo.of(new UnbatchFn<T>()))
        .setCoder(source.getOutputCoder());
  }

  private static final class UnbatchFn<T> extends DoFn<List<TimestampedValue<T>>, T> {
    @ProcessElement
    public void process(@Element List<TimestampedValue<T>> batch, OutputReceiver<T> out) {
      for (TimestampedValue<T> record : batch) {
        // never earlier than the batch's own timestamp, which is its earliest record's
        out.outputWithTimestamp(record.getValue(), record.getTimestamp());
      }
    }
  }
}
