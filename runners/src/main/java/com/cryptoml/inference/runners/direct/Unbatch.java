package com.cryptoml.inference.runners.direct;

import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * Unpacks the batches of {@link BatchedUnboundedSource} into their records, each at its own event time
 * and converted on the way: the same elements as reading the source directly and converting them in a
 * step of their own, with one step less for every bundle to pass through on the Direct runner.
 */
final class Unbatch<T, U> extends DoFn<List<TimestampedValue<T>>, U> {
  private final SerializableFunction<T, U> convert;

  Unbatch(SerializableFunction<T, U> convert) {
    this.convert = convert;
  }

  @ProcessElement
  public void process(@Element List<TimestampedValue<T>> batch, OutputReceiver<U> out) {
    for (TimestampedValue<T> record : batch) {
      // never earlier than the batch's own timestamp, which is its earliest record's
      out.outputWithTimestamp(convert.apply(record.getValue()), record.getTimestamp());
    }
  }
}
