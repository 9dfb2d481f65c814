package com.cryptoml.inference.runners.direct;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Instant;

/**
 * Each bundle's values of a key, encoded one after another by the value coder into one pack per key
 * ({@link #unpack} reads them back). For a backfill's groupings and file writes, where a pack travels
 * and is copied as one byte array instead of as many small values: the Direct runner copies a key's
 * grouped values, value by value through their coder, for every bundle that adds to the key, and sets
 * a timer per value. A bundle holds at most {@link
 * #MAX_PACK_BYTES} per key before its pack goes out.
 *
 * <p>Only for input in the global window under the default trigger ({@link #packable}): packs go out
 * when the bundle finishes, at the earliest timestamp of their values. See
 * docs/decisions/direct-runner-adaptations.md.
 */
public final class PackPerBundle<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, byte[]>>> {
  /** A key's pack goes out once it holds this many bytes, before the bundle ends. */
  static final int MAX_PACK_BYTES = 4 << 20;

  private PackPerBundle() {}

  /** For input with a {@code KvCoder}. */
  public static <K, V> PackPerBundle<K, V> create() {
    return new PackPerBundle<>();
  }

  /** Whether packs apply: the global window, fired once at its end. */
  public static boolean packable(WindowingStrategy<?, ?> strategy) {
    return strategy.getWindowFn() instanceof GlobalWindows && strategy.getTrigger() instanceof DefaultTrigger;
  }

  /** The values of a pack, in the order they were packed. */
  public static <V> void unpack(byte[] pack, Coder<V> valueCoder, Consumer<V> values) {
    ByteArrayInputStream in = new ByteArrayInputStream(pack);
    try {
      while (in.available() > 0) {
        values.accept(valueCoder.decode(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a pack of " + valueCoder + " values did not decode", e);
    }
  }

  @Override
  public PCollection<KV<K, byte[]>> expand(PCollection<KV<K, V>> in) {
    if (!packable(in.getWindowingStrategy())) {
      throw new IllegalArgumentException("packs are for input in the global window under the default trigger; "
          + in.getName() + " has " + in.getWindowingStrategy());
    }
    if (!(in.getCoder() instanceof KvCoder<K, V> kv)) {
      throw new IllegalArgumentException("packs need a KvCoder to encode values with; " + in.getName() + " has " + in.getCoder());
    }
    return in.apply("Pack", ParDo.of(new PackFn<>(kv.getKeyCoder(), kv.getValueCoder())))
        .setCoder(KvCoder.of(kv.getKeyCoder(), ByteArrayCoder.of()));
  }

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
      /** The earliest timestamp of the values packed, the pack's own. */
      Instant earliest = BoundedWindow.TIMESTAMP_MAX_VALUE;

      Pack(K key) {
        this.key = key;
      }
    }

    @StartBundle
    public void startBundle() {
      packs = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<K, V> kv, @Timestamp Instant at, OutputReceiver<KV<K, byte[]>> out) throws IOException {
      // As the grouping compares keys (a byte[] key's instances differ), so that a bundle has one pack per key.
      Object structural = keyCoder.structuralValue(kv.getKey());
      Pack<K> pack = packs.computeIfAbsent(structural, s -> new Pack<>(kv.getKey()));
      valueCoder.encode(kv.getValue(), pack.bytes);
      if (at.isBefore(pack.earliest)) {
        pack.earliest = at;
      }
      if (pack.bytes.size() >= MAX_PACK_BYTES) {
        out.output(KV.of(pack.key, pack.bytes.toByteArray())); // at this element's time: an output cannot go back
        packs.remove(structural);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      for (Pack<K> pack : packs.values()) {
        c.output(KV.of(pack.key, pack.bytes.toByteArray()), pack.earliest, GlobalWindow.INSTANCE);
      }
      packs = null;
    }
  }
}
