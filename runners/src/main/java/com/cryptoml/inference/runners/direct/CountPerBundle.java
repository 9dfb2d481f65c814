package com.cryptoml.inference.runners.direct;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * How many elements have each key, over many elements and few keys in the global window: counts each
 * bundle's elements first and sums the partial counts per key. Runners that lift combiners do this
 * themselves; the Direct runner does not, and buffers every element of a key in state that it copies
 * for each bundle, so a plain count of a million rows under two keys grows quadratically.
 *
 * <p>The key is taken in the same step ({@link #of}): the Direct runner gathers a step's metric updates
 * after every element, so a step of its own to map each element to its key would cost about as much
 * per element as the counting (docs/decisions/direct-runner-adaptations.md).
 */
public final class CountPerBundle<T> extends PTransform<PCollection<T>, PCollection<KV<String, Long>>> {
  private final SerializableFunction<T, String> key;

  private CountPerBundle(SerializableFunction<T, String> key) {
    this.key = key;
  }

  /** Counts the strings themselves. */
  public static CountPerBundle<String> create() {
    return new CountPerBundle<>(s -> s);
  }

  /** Counts elements by {@code key}; an element whose key is null is not counted. */
  public static <T> CountPerBundle<T> of(SerializableFunction<T, String> key) {
    return new CountPerBundle<>(key);
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<T> elements) {
    return elements.apply("CountInBundle", ParDo.of(new CountInBundleFn<>(key)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply("SumPerKey", Sum.longsPerKey());
  }

  static final class CountInBundleFn<T> extends DoFn<T, KV<String, Long>> {
    private final SerializableFunction<T, String> key;
    private transient Map<String, Long> counts;

    CountInBundleFn(SerializableFunction<T, String> key) {
      this.key = key;
    }

    @StartBundle
    public void startBundle() {
      counts = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element T element) {
      String k = key.apply(element);
      if (k != null) {
        counts.merge(k, 1L, Long::sum);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      counts.forEach((k, n) -> c.output(KV.of(k, n), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
      counts = null;
    }
  }
}
