package com.cryptoml.inference.runners.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** Map-state values of the sharded steps pass through the Direct runner's state copies as themselves. */
class SameInstanceCoderTest {
  private static final Coder<List<Long>> VALUES = ListCoder.of(VarLongCoder.of());

  @Test
  void theDirectRunnersCloneIsTheSameInstance() throws Exception {
    Coder<List<Long>> coder = new SameInstanceCoder<>(VALUES);
    List<Long> value = new ArrayList<>(List.of(1L, 2L, 3L));
    for (int i = 0; i < 3; i++) {
      assertSame(value, CoderUtils.clone(coder, value));
    }
  }

  @Test
  void decodingAwayFromItsCopyFailsLoudly() throws Exception {
    Coder<List<Long>> coder = new SameInstanceCoder<>(VALUES);
    byte[] first = CoderUtils.encodeToByteArray(coder, List.of(1L));
    byte[] second = CoderUtils.encodeToByteArray(coder, List.of(2L));
    assertThrows(IllegalStateException.class, () -> CoderUtils.decodeFromByteArray(coder, first), "another value was encoded since");
    assertEquals(List.of(2L), CoderUtils.decodeFromByteArray(coder, second));
    assertThrows(IllegalStateException.class, () -> CoderUtils.decodeFromByteArray(coder, second), "decoded twice");
    byte[] third = CoderUtils.encodeToByteArray(coder, List.of(3L));
    CompletableFuture<Throwable> elsewhere = CompletableFuture.supplyAsync(() -> {
      try {
        CoderUtils.decodeFromByteArray(coder, third);
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    assertInstanceOf(IllegalStateException.class, elsewhere.get(), "decoded on another thread");
  }
}
