package com.cryptoml.inference.runners.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class GroupInPacksTest {
  /** Key to its values, sorted, as a group of {@code groups} should hold them. */
  private static Map<String, List<Integer>> sorted(Iterable<KV<String, Iterable<Integer>>> groups) {
    Map<String, List<Integer>> out = new TreeMap<>();
    for (KV<String, Iterable<Integer>> g : groups) {
      List<Integer> values = new ArrayList<>();
      g.getValue().forEach(values::add);
      values.sort(null);
      assertEquals(null, out.put(g.getKey(), values), "one group per key: " + g.getKey());
    }
    return out;
  }

  /** Values spread over many bundles (the reshuffle) and keys come out as GroupByKey gives them. */
  @Test
  void everyValueOfAKeyInOneGroup(TestPipeline p) {
    List<KV<String, Integer>> in = new ArrayList<>();
    Map<String, List<Integer>> expected = new TreeMap<>();
    for (int i = 0; i < 5_000; i++) {
      String key = "k" + (i % 7);
      in.add(KV.of(key, i));
      expected.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    PCollection<KV<String, Iterable<Integer>>> groups = p.apply(Create.of(in)
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
        .apply(Reshuffle.viaRandomKey())
        .apply(GroupInPacks.create());
    PAssert.that(groups).satisfies(g -> {
      assertEquals(expected, sorted(g));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** A key whose pack passes the size limit sends it before the bundle ends, and nothing is lost. */
  @Test
  void aPackPastTheLimitGoesOutBeforeTheBundleEnds(TestPipeline p) {
    int size = PackPerBundle.MAX_PACK_BYTES / 3 + 1;
    // All seven from one element: one bundle, so the pack passes the limit within it.
    PCollection<KV<String, Iterable<byte[]>>> groups = p.apply(Create.of(7))
        .apply(FlatMapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(byte[].class)))
            .via((Integer n) -> {
              List<KV<String, byte[]>> values = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                byte[] value = new byte[size];
                value[0] = (byte) i;
                values.add(KV.of("k", value));
              }
              return values;
            }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
        .apply(GroupInPacks.create());
    PAssert.that(groups).satisfies(g -> {
      List<Integer> firsts = new ArrayList<>();
      int count = 0;
      for (KV<String, Iterable<byte[]>> group : g) {
        count++;
        for (byte[] v : group.getValue()) {
          assertEquals(size, v.length);
          firsts.add((int) v[0]);
        }
      }
      firsts.sort(null);
      assertEquals(1, count, "one group for the key");
      assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), firsts);
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** Input in other windows or under another trigger is grouped by a plain GroupByKey, per window. */
  @Test
  void otherWindowsAreGroupedPerWindow(TestPipeline p) {
    assertTrue(PackPerBundle.packable(WindowingStrategy.globalDefault()));
    assertFalse(PackPerBundle.packable(WindowingStrategy.of(FixedWindows.of(Duration.standardMinutes(1)))));
    assertFalse(PackPerBundle.packable(WindowingStrategy.of(new GlobalWindows()).withTrigger(AfterPane.elementCountAtLeast(2))));

    PCollection<KV<String, Iterable<Integer>>> groups = p.apply(Create.timestamped(
            TimestampedValue.of(KV.of("k", 1), new Instant(0)), TimestampedValue.of(KV.of("k", 2), new Instant(1_000)),
            TimestampedValue.of(KV.of("k", 3), new Instant(61_000)))
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply(GroupInPacks.create());
    PAssert.that(groups).inWindow(new IntervalWindow(new Instant(0), Duration.standardMinutes(1))).satisfies(g -> {
      assertEquals(Map.of("k", List.of(1, 2)), sorted(g));
      return null;
    });
    PAssert.that(groups).inWindow(new IntervalWindow(new Instant(60_000), Duration.standardMinutes(1))).satisfies(g -> {
      assertEquals(Map.of("k", List.of(3)), sorted(g));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** Packing on its own refuses input whose packs would need a window or a trigger. */
  @Test
  void packsAloneRefuseOtherWindows() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<KV<String, Integer>> fixed = p.apply(Create.of(KV.of("k", 1)).withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fixed.apply(PackPerBundle.create()));
    assertTrue(e.getMessage().contains("global window"), e.getMessage());
  }
}
