package com.cryptoml.inference.transforms.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class SlidingCountsTest {
  static final long MINUTE = 60_000L;

  /**
   * A backfill's counts (windows in the key), over observations spread across bundles and across three
   * chunks of periods: windows of four 1m bars sliding every two, each the sum of the bins observed in
   * it, the windows that straddle two chunks included.
   */
  @Test
  void eachWindowSumsTheObservationsInIt(TestPipeline p) {
    List<TimestampedValue<KV<String, int[]>>> in = new ArrayList<>();
    Map<String, long[]> expected = new TreeMap<>(); // "start end" in minutes -> counts of slot 0's bins
    int chunkBars = SlidingCounts.CHUNK_PERIODS * 2;
    for (int m = -chunkBars - 5; m < 2 * chunkBars; m++) {
      int bin = Math.floorMod(m, 3);
      in.add(TimestampedValue.of(KV.of("m:1|1m|F", new int[] {bin, -1}), new Instant(m * MINUTE)));
      for (long start = m - Math.floorMod(m, 2); start > m - 4; start -= 2) {
        expected.computeIfAbsent(start + " " + (start + 4), k -> new long[3])[bin]++;
      }
    }
    PCollection<KV<String, BinCounts>> counts = p.apply(Create.timestamped(in)
            .withCoder(KvCoder.of(StringUtf8Coder.of(), BinCounts.BinsCoder.of())))
        .apply(Reshuffle.viaRandomKey())
        .apply(new SlidingCounts(4, 2, true));
    PAssert.that(counts).satisfies(all -> {
      Map<String, long[]> got = new TreeMap<>();
      for (KV<String, BinCounts> kv : all) {
        assertEquals("m:1|1m|F", KeyedWindows.baseKey(kv.getKey()));
        var w = KeyedWindows.window(kv.getKey(), null);
        got.put(w.start().getMillis() / MINUTE + " " + w.end().getMillis() / MINUTE, kv.getValue().slot(0, 3));
        assertEquals(0, kv.getValue().total(1), "a slot never observed stays empty");
      }
      assertEquals(expected.keySet(), got.keySet());
      expected.forEach((w, c) -> assertArrayEquals(c, got.get(w), w));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void periodsRoundTripAsOnePack() throws Exception {
    Map<Long, BinCounts> periods = new HashMap<>();
    for (long start = 0; start < 50; start++) {
      BinCounts c = new BinCounts();
      c.add(new int[] {(int) (start % 4), -1, (int) (start % 7)});
      c.add(new int[] {1, 2});
      periods.put(start * 1_200_000L, c);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SlidingCounts.PeriodsCoder.INSTANCE.encode(periods, out);
    out.write(42); // what follows the pack is left unread
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    Map<Long, BinCounts> back = SlidingCounts.PeriodsCoder.INSTANCE.decode(in);
    assertEquals(42, in.read());
    assertEquals(periods.keySet(), back.keySet());
    periods.forEach((start, c) -> {
      assertEquals(c.slots(), back.get(start).slots());
      for (int s = 0; s < c.slots(); s++) {
        assertArrayEquals(c.slot(s, 8), back.get(start).slot(s, 8), "period " + start + " slot " + s);
      }
    });
  }
}
