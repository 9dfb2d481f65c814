package com.cryptoml.inference.runners.direct;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The Direct runner's {@link com.cryptoml.inference.transforms.grouping.GroupBuckets}: each bundle's
 * values of a key become one pack ({@link PackPerBundle}), the packs are grouped, and each group is
 * decoded back into its values, at the earliest timestamp of its packs. The output is what the stock
 * grouping gives, in another order. Input outside the global window, or under another trigger, is
 * grouped by a plain {@code GroupByKey}. See docs/decisions/direct-runner-adaptations.md.
 */
public final class GroupInPacks<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
  private GroupInPacks() {}

  public static <K, V> GroupInPacks<K, V> create() {
    return new GroupInPacks<>();
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> in) {
    if (!PackPerBundle.packable(in.getWindowingStrategy()) || !(in.getCoder() instanceof KvCoder<K, V> kv)) {
      return in.apply("GroupByKey", GroupByKey.create());
    }
    return in.apply("PackPerBundle", PackPerBundle.create())
        .apply("EarliestPackTimestamp", Window.<KV<K, byte[]>>configure().withTimestampCombiner(TimestampCombiner.EARLIEST))
        .apply("GroupPacks", GroupByKey.create())
        .apply("Unpack", ParDo.of(new UnpackFn<>(kv.getValueCoder())))
        .setCoder(KvCoder.of(kv.getKeyCoder(), IterableCoder.of(kv.getValueCoder())));
  }

  /** A key's packs back to its values. */
  static final class UnpackFn<K, V> extends DoFn<KV<K, Iterable<byte[]>>, KV<K, Iterable<V>>> {
    private final Coder<V> valueCoder;

    UnpackFn(Coder<V> valueCoder) {
      this.valueCoder = valueCoder;
    }

    @ProcessElement
    public void process(@Element KV<K, Iterable<byte[]>> packs, OutputReceiver<KV<K, Iterable<V>>> out) {
      List<V> values = new ArrayList<>();
      for (byte[] pack : packs.getValue()) {
        PackPerBundle.unpack(pack, valueCoder, values::add);
      }
      out.output(KV.of(packs.getKey(), values));
    }
  }
}
