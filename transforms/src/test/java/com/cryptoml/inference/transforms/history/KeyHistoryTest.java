package com.cryptoml.inference.transforms.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.Timeframe;
import java.util.Map;
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
}
