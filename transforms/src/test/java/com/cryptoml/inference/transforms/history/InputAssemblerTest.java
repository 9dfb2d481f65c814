package com.cryptoml.inference.transforms.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.config.ImputationPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputAssemblerTest {
  static final long H = 3_600_000L;
  static final long LATENESS = H / 2;
  static final RoutedModel ONE_BAR = new RoutedModel("m1", "1", List.of("a", "b"), 1, new double[] {10, 20});
  static final RoutedModel THREE_BARS = new RoutedModel("m3", "1", List.of("a", "b"), 3, new double[] {10, 20});

  private static InputAssembler assembler(ImputationPolicy policy, double maxImputed) {
    return new InputAssembler(H, LATENESS, 7 * 24 * H, 2, policy, maxImputed);
  }

  private static KeyHistory history(Object... barsAndValues) {
    KeyHistory h = new KeyHistory("BTCUSDT", "BINANCE", Timeframe.H1);
    for (int i = 0; i < barsAndValues.length; i += 3) {
      Map<String, Double> f = new HashMap<>();
      if (barsAndValues[i + 1] != null) {
        f.put("a", (Double) barsAndValues[i + 1]);
      }
      if (barsAndValues[i + 2] != null) {
        f.put("b", (Double) barsAndValues[i + 2]);
      }
      h.insert((Long) barsAndValues[i] * H, 0L, f, "src", "{}");
    }
    return h;
  }

  @Test
  void currentBarOnlyNeedsNothingElse() {
    KeyHistory h = history(5L, 1.0, 2.0);
    InputAssembler.Outcome o = assembler(ImputationPolicy.FORWARD_FILL_THEN_MEAN, 0.5).assemble(h, 0, ONE_BAR);
    assertEquals(InputAssembler.Status.READY, o.status());
    assertArrayEquals(new double[] {1, 2}, o.values());
    assertEquals(List.of(), o.imputed());
  }

  @Test
  void lookbackWindowIsOldestFirstOnTheBarGrid() {
    KeyHistory h = history(3L, 1.0, 2.0, 4L, 3.0, 4.0, 5L, 5.0, 6.0);
    InputAssembler.Outcome o = assembler(ImputationPolicy.FORWARD_FILL_THEN_MEAN, 0.5).assemble(h, 2, THREE_BARS);
    assertEquals(InputAssembler.Status.READY, o.status());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, o.values());
  }

  @Test
  void aMissingEarlierBarIsWaitedForUntilTheWatermarkSaysItIsMissing() {
    KeyHistory h = history(3L, 1.0, 2.0, 5L, 5.0, 6.0);
    InputAssembler a = assembler(ImputationPolicy.FORWARD_FILL_THEN_MEAN, 0.5);
    InputAssembler.Outcome wait = a.assemble(h, 1, THREE_BARS);
    assertEquals(InputAssembler.Status.WAIT, wait.status());
    assertEquals(4 * H, wait.waitFor());
    h.advanceResolvedUpTo(4 * H + LATENESS - 1);
    assertEquals(InputAssembler.Status.WAIT, a.assemble(h, 1, THREE_BARS).status(), "not yet past the lateness");
    h.advanceResolvedUpTo(4 * H + LATENESS);
    InputAssembler.Outcome o = a.assemble(h, 1, THREE_BARS);
    assertEquals(InputAssembler.Status.READY, o.status());
    assertArrayEquals(new double[] {1, 2, 1, 2, 5, 6}, o.values(), "the gap is forward-filled from bar 3");
    assertEquals(List.of("a", "b"), o.imputed());
  }

  @Test
  void missingValueIsForwardFilledFromTheLatestEarlierBarThatHasIt() {
    KeyHistory h = history(3L, 1.0, 2.0, 4L, null, 4.0, 5L, null, 6.0);
    InputAssembler.Outcome o = assembler(ImputationPolicy.FORWARD_FILL_THEN_MEAN, 0.5).assemble(h, 2, ONE_BAR);
    assertArrayEquals(new double[] {1, 6}, o.values());
    assertEquals(List.of("a"), o.imputed());
  }

  @Test
  void beyondTheForwardFillReachTheTrainingMeanIsUsed() {
    KeyHistory h = history(1L, 1.0, 2.0, 2L, null, 2.0, 3L, null, 2.0, 4L, null, 4.0);
    h.advanceResolvedUpTo(10 * H);
    InputAssembler.Outcome o = assembler(ImputationPolicy.FORWARD_FILL_THEN_MEAN, 0.5).assemble(h, 3, ONE_BAR);
    assertArrayEquals(new double[] {10, 4}, o.values(), "reach is 2 bars: bar 1 is too far, so the mean");
  }

  @Test
  void policiesWithoutAValueSkipTheModel() {
    KeyHistory h = history(4L, null, 4.0);
    h.advanceResolvedUpTo(10 * H);
    assertEquals(InputAssembler.Status.INCOMPLETE, assembler(ImputationPolicy.SKIP, 1).assemble(h, 0, ONE_BAR).status());
    assertEquals(InputAssembler.Status.INCOMPLETE, assembler(ImputationPolicy.FORWARD_FILL, 1).assemble(h, 0, ONE_BAR).status());
    InputAssembler.Outcome mean = assembler(ImputationPolicy.MEAN, 1).assemble(h, 0, ONE_BAR);
    assertArrayEquals(new double[] {10, 4}, mean.values());
  }

  @Test
  void tooManyImputedValuesSkipTheModel() {
    KeyHistory h = history(5L, 1.0, 2.0);
    h.advanceResolvedUpTo(10 * H);
    InputAssembler.Outcome o = assembler(ImputationPolicy.MEAN, 0.5).assemble(h, 0, THREE_BARS);
    assertEquals(InputAssembler.Status.INCOMPLETE, o.status());
    assertEquals("4 of 6 input values would be imputed (more than 50%)", o.detail());
  }

  @Test
  void forwardFillWaitsForAnEarlierBarThatMayStillArrive() {
    KeyHistory h = history(5L, null, 6.0);
    InputAssembler.Outcome o = assembler(ImputationPolicy.FORWARD_FILL_THEN_MEAN, 1).assemble(h, 0, ONE_BAR);
    assertEquals(InputAssembler.Status.WAIT, o.status());
    assertEquals(4 * H, o.waitFor());
  }

  @Test
  void historyStateSurvivesItsCoder() throws Exception {
    KeyHistory h = history(3L, 1.0, 2.0, 4L, null, 4.0);
    h.markDone(0);
    h.advanceResolvedUpTo(2 * H);
    h.setRoutes(List.of(ONE_BAR, THREE_BARS));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    KeyHistory.Coder.of().encode(h, out);
    KeyHistory back = KeyHistory.Coder.of().decode(new java.io.ByteArrayInputStream(out.toByteArray()));
    assertEquals(2, back.size());
    assertEquals(4 * H, back.time(1));
    assertEquals(true, back.isDone(0));
    assertEquals(false, back.isDone(1));
    assertEquals("{}", back.payload(1));
    assertEquals(2 * H, back.resolvedUpTo());
    assertEquals(List.of(ONE_BAR, THREE_BARS), back.routes());
    assertEquals(4.0, back.value(1, back.featureIndex("b")));
    assertEquals(Double.NaN, back.value(1, back.featureIndex("a")));
  }
}
