package com.cryptoml.inference.pipelines.batch;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * How many elements have each key (an element whose key is null is not counted): the backfill's counts
 * of rows, predictions and dead letters for its completion event and report.
 */
public final class CountByKey<T> extends PTransform<PCollection<T>, PCollection<KV<String, Long>>> {
  private final SerializableFunction<T, String> key;

  private CountByKey(SerializableFunction<T, String> key) {
    this.key = key;
  }

  public static <T> CountByKey<T> of(SerializableFunction<T, String> key) {
    return new CountByKey<>(key);
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<T> elements) {
    SerializableFunction<T, String> k = key;
    return elements.apply("Key", ParDo.of(new DoFn<T, String>() {
          @ProcessElement
          public void process(@Element T element, OutputReceiver<String> out) {
            String name = k.apply(element);
            if (name != null) {
              out.output(name);
            }
          }
        })).setCoder(StringUtf8Coder.of())
        .apply("Count", Count.perElement())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }
}
