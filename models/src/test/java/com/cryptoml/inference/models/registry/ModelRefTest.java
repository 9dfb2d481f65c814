package com.cryptoml.inference.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModelRefTest {
  @Test
  void parsesEveryForm() {
    assertEquals(ModelRef.alias("swing-high-v1-1h", "champion"), ModelRef.parse("swing-high-v1-1h"));
    assertEquals(ModelRef.alias("swing-high-v1-1h", "challenger"), ModelRef.parse("swing-high-v1-1h@challenger"));
    assertEquals(ModelRef.version("swing-high-v1-1h", "2"), ModelRef.parse("swing-high-v1-1h:2"));
    assertEquals(ModelRef.latest("swing-high-v1-1h"), ModelRef.parse("swing-high-v1-1h:latest"));
    assertEquals("swing-high-v1-1h@challenger", ModelRef.parse("swing-high-v1-1h@challenger").toString());
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse(""));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("../etc@champion"));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("m:0"));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("m:1.0.0"));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("m@"));
  }
}
