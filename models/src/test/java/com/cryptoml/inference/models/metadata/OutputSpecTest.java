package com.cryptoml.inference.models.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputSpecTest {
  private final OutputSpec classes = OutputSpec.classProbabilities("p", List.of(-1, 0, 1));
  private final OutputSpec scalar = OutputSpec.scalar("s", 0.6, 0.4);

  @Test
  void mostProbableClassWinsWithItsProbabilityAsConfidence() {
    float[] out = {0.1f, 0.2f, 0.7f, 0.6f, 0.3f, 0.1f, 0.2f, 0.5f, 0.3f};
    assertEquals(new Decision(1, 0.7f), classes.decode(out, 0));
    assertEquals(new Decision(-1, 0.6f), classes.decode(out, 1));
    assertEquals(new Decision(0, 0.5f), classes.decode(out, 2));
  }

  @Test
  void scalarScoresMapThroughThresholds() {
    assertEquals(1, scalar.decode(new float[] {0.8f}, 0).prediction());
    assertEquals(0.8, scalar.decode(new float[] {0.8f}, 0).confidence(), 1e-6);
    assertEquals(-1, scalar.decode(new float[] {0.1f}, 0).prediction());
    assertEquals(0.9, scalar.decode(new float[] {0.1f}, 0).confidence(), 1e-6);
    Decision neutral = scalar.decode(new float[] {0.5f}, 0);
    assertEquals(0, neutral.prediction());
    assertEquals(1.0, neutral.confidence(), 1e-6);
    assertEquals(0.9, scalar.decode(new float[] {0.45f}, 0).confidence(), 1e-6);
  }

  @Test
  void nanOutputIsAnError() {
    assertThrows(ArithmeticException.class, () -> classes.decode(new float[] {Float.NaN, 0, 0}, 0));
  }

  @Test
  void invalidSpecsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> OutputSpec.classProbabilities("p", List.of(1)));
    assertThrows(IllegalArgumentException.class, () -> OutputSpec.classProbabilities("p", List.of(-2, 0, 1)));
    assertThrows(IllegalArgumentException.class, () -> OutputSpec.scalar("s", 0.4, 0.6));
  }
}
