package com.cryptoml.inference.transforms.grouping;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * {@code GroupByKey} for a backfill's many small values under few keys: each bundle's values of a key
 * are encoded into one pack, the packs are grouped, and each group is decoded back into its values.
 * The output is what {@code GroupByKey} gives, in another order.
 *
 * <p>Why: the Direct runner keeps a key's grouped values in state that it copies, value by value
 * through the value coder, for every bundle that adds to the key, and sets a timer per value; a pack
 * copies as one byte array (docs/benchmarks.md, eighth round). Other runners shuffle fewer, larger
 * records. A bundle holds at most {@link #MAX_PACK_BYTES} per key before its pack goes out.
 *
 * <p>Only for input in the global window under the default trigger, where a pack's timestamp (the end
 * of the window, as {@code GroupByKey} gives its groups there) is not observable; other input is
 * grouped by a plain {@code GroupByKey}.
 */
public final class GroupInPacks<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
  /** A key's pack goes out once it holds this many bytes, before the bundle ends. */
  static final int MAX_PACK_BYTES = 4 << 20;

  private GroupInPacks() {}

  public static <K, V> GroupInPacks<K, V> create() {
    return new GroupInPacks<>();
  }

  /** Whether packs apply: the global window, fired once at its end. */
  static boolean packable(WindowingStrategy<?, ?> strategy) {
    return strategy.getWindowFn() instanceof GlobalWindows && strategy.getTrigger() instanceof DefaultTrigger;
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> in) {
    if (!packable(in.getWindowingStrategy()) || !(in.getCoder() instanceof KvCoder<K, V> kv)) {
      return in.apply("GroupByKey", GroupByKey.create());
    }
    return in.apply("PackPerBundle", ParDo.of(new PackFn<>(kv.getKeyCoder(), kv.getValueCoder())))
        .setCoder(KvCoder.of(kv.getKeyCoder(), ByteArrayCoder.of()))
        .apply("GroupPacks", GroupByKey.create())
        .apply("Unpack", ParDo.of(new UnpackFn<>(kv.getValueCoder())))
        .setCoder(KvCoder.of(kv.getKeyCoder(), IterableCoder.of(kv.getValueCoder())));
  }

  /** A bundle's values per key, each key's encoded one after another into its pack. */
  static final class PackFn<K, V> extends DoFn<KV<K, V>, KV<K, byte[]>> {
    private final Coder<K> keyCoder;
    private final Coder<V> valueCoder;
    private transient Map<Object, Pack<K>> packs;

    PackFn(Coder<K> keyCoder, Coder<V> valueCoder) {
      this.keyCoder = keyCoder;
      this.valueCoder = valueCoder;
    }

    private static final class Pack<K> {
      final K key;
      final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);

      Pack(K key) {
        this.key = key;
      }
    }

    @StartBundle
    public void startBundle() {
      packs = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<K, V> kv, OutputReceiver<KV<K, byte[]>> out) throws IOException {
      // As the grouping compares keys (a byte[] key's instances differ), so that a bundle has one pack per key.
      Object structural = keyCoder.structuralValue(kv.getKey());
      Pack<K> pack = packs.computeIfAbsent(structural, s -> new Pack<>(kv.getKey()));
      valueCoder.encode(kv.getValue(), pack.bytes);
      if (pack.bytes.size() >= MAX_PACK_BYTES) {
        out.output(KV.of(pack.key, pack.bytes.toByteArray()));
        packs.remove(structural);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      for (Pack<K> pack : packs.values()) {
        c.output(KV.of(pack.key, pack.bytes.toByteArray()), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
      packs = null;
    }
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
        ByteArrayInputStream in = new ByteArrayInputStream(pack);
        try {
          while (in.available() > 0) {
            values.add(valueCoder.decode(in));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("a pack of " + valueCoder + " values did not decode", e);
        }
      }
      out.output(KV.of(packs.getKey(), values));
    }
  }
}
