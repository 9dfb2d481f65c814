package com.cryptoml.inference.pipelines.batch;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code Count.perElement()} for a few keys over many elements in the global window: counts each
 * bundle's elements first and sums the partial counts per key. Runners that lift combiners do this
 * themselves; the Direct runner does not, and buffers every element of a key in state that it copies
 * for each bundle, so a plain count of a million rows under two keys grows quadratically.
 */
public final class CountPerBundle extends PTransform<PCollection<String>, PCollection<KV<String, Long>>> {
  public static CountPerBundle create() {
    return new CountPerBundle();
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<String> keys) {
    return keys.apply("CountInBundle", ParDo.of(new CountInBundleFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply("SumPerKey", Sum.longsPerKey());
  }

  static final class CountInBundleFn extends DoFn<String, KV<String, Long>> {
    private transient Map<String, Long> counts;

    @StartBundle
    public void startBundle() {
      counts = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element String key) {
      counts.merge(key, 1L, Long::sum);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      counts.forEach((k, n) -> c.output(KV.of(k, n), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
      counts = null;
    }
  }
}
