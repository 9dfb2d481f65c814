package com.cryptoml.inference.transforms.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.Timeframe;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The pending bars of a key: found without walking the done ones, and the same after the coder. */
class KeyHistoryTest {
  private static final long MINUTE = 60_000;

  private static long[] times(KeyHistory h, int[] indices) {
    long[] out = new long[indices.length];
    for (int k = 0; k < indices.length; k++) {
      out[k] = h.time(indices[k]);
    }
    return out;
  }

  @Test
  void pendingBarsInTimeOrderThroughInsertsDoneMarksEvictionAndTheCoder() throws Exception {
    KeyHistory h = new KeyHistory("BTCUSDT", "BINANCE", Timeframe.M1);
    for (long t : new long[] {5, 1, 3, 2, 4}) { // out of order
      h.insert(t * MINUTE, 0, Map.of("ret_1", (double) t), "src", "p" + t);
    }
    assertArrayEquals(new long[] {1 * MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE, 5 * MINUTE}, times(h, h.pendingIndices()));
    h.markDone(h.indexOf(1 * MINUTE));
    h.markDone(h.indexOf(3 * MINUTE));
    h.markDone(h.indexOf(3 * MINUTE)); // twice: still done once
    assertArrayEquals(new long[] {2 * MINUTE, 4 * MINUTE, 5 * MINUTE}, times(h, h.pendingIndices()));
    assertEquals(2 * MINUTE, h.oldestPending());

    assertEquals(2, h.evictDoneBefore(4 * MINUTE), "the done bars at 1 and 3; pending 2 stays");
    assertArrayEquals(new long[] {2 * MINUTE, 4 * MINUTE, 5 * MINUTE}, times(h, h.pendingIndices()));

    KeyHistory back = CoderUtils.clone(KeyHistory.Coder.of(), h);
    assertArrayEquals(times(h, h.pendingIndices()), times(back, back.pendingIndices()));
    for (int i : back.pendingIndices()) {
      back.markDone(i);
    }
    assertFalse(back.hasPending());
    assertEquals(Long.MAX_VALUE, back.oldestPending());
    assertTrue(h.hasPending(), "the clone is independent");
  }

  /** Eviction against a plain list, over random inserts, done marks and cut-offs (on and between bars). */
  @Test
  void evictionKeepsExactlyThePendingAndTheNewerBars() {
    SplittableRandom random = new SplittableRandom(11);
    for (int pass = 0; pass < 200; pass++) {
      KeyHistory h = new KeyHistory("BTCUSDT", "BINANCE", Timeframe.M1);
      TreeMap<Long, Boolean> expected = new TreeMap<>(); // bar time -> done
      for (int step = 0; step < 60; step++) {
        int action = random.nextInt(4);
        if (action < 2) {
          long t = random.nextInt(100) * MINUTE;
          if (!expected.containsKey(t)) {
            h.insert(t, t + 1, Map.of("ret_1", (double) t), "src", "p" + t);
            expected.put(t, false);
          }
        } else if (action == 2 && !expected.isEmpty()) {
          long t = expected.keySet().stream().skip(random.nextInt(expected.size())).findFirst().orElseThrow();
          h.markDone(h.indexOf(t));
          expected.put(t, true);
        } else {
          long before = random.nextInt(110) * MINUTE - (random.nextBoolean() ? 0 : MINUTE / 2);
          int drop = (int) expected.headMap(before).values().stream().filter(d -> d).count();
          expected.headMap(before).values().removeIf(d -> d);
          assertEquals(drop, h.evictDoneBefore(before), "evicted before " + before);
        }
        assertEquals(expected.size(), h.size());
        int i = 0;
        for (Map.Entry<Long, Boolean> e : expected.entrySet()) {
          assertEquals(e.getKey(), h.time(i));
          assertEquals(e.getValue(), h.isDone(i));
          assertEquals(e.getKey() + 1, h.arrival(i));
          assertEquals((double) e.getKey(), h.value(i, h.featureIndex("ret_1")));
          assertEquals(e.getValue() ? null : "p" + e.getKey(), h.payload(i));
          i++;
        }
      }
    }
  }

  /**
   * A backfill's row groups arrive interleaved: runs of older bars inserted among newer ones. Each
   * run's bars go in side by side, so moving the gap costs about one pass over the newer bars per run,
   * not one per bar.
   */
  @Test
  void interleavedRunsMoveEachBarAboutOncePerRun() {
    KeyHistory h = new KeyHistory("BTCUSDT", "BINANCE", Timeframe.M1);
    int runs = 8;
    int perRun = 5_000;
    // Runs newest first, as when a later row group is read before an earlier one.
    for (int r = runs - 1; r >= 0; r--) {
      for (int k = 0; k < perRun; k++) {
        long t = ((long) r * perRun + k) * MINUTE;
        h.insert(t, t, Map.of("ret_1", (double) t), null, null);
      }
    }
    assertEquals(runs * perRun, h.size());
    for (int i = 0; i < h.size(); i++) {
      assertEquals(i * MINUTE, h.time(i));
      assertEquals((double) (i * MINUTE), h.value(i, h.featureIndex("ret_1")));
      assertEquals(i, h.indexOf(i * MINUTE));
    }
    // A shift per insert would move sum over runs of (newer bars x run length) = 28 x 5,000^2 bars.
    long onePassPerRun = (long) runs * runs * perRun;
    assertTrue(h.rowsMoved() <= onePassPerRun, "moved " + h.rowsMoved() + " bars");
  }
}
