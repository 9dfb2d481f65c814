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
  void parsesMlflowUrisStagesAndQuotedNames() {
    assertEquals(ModelRef.alias("swing-high-v1-1h", "challenger"), ModelRef.parse("models:/swing-high-v1-1h@challenger"));
    assertEquals(ModelRef.version("swing-high-v1-1h", "2"), ModelRef.parse("models:/swing-high-v1-1h/2"));
    assertEquals(ModelRef.latest("swing-high-v1-1h"), ModelRef.parse("models:/swing-high-v1-1h/latest"));
    assertEquals(ModelRef.stage("m", "Production"), ModelRef.parse("models:/m/production"));
    assertEquals(ModelRef.stage("m", "Staging"), ModelRef.parse("m:STAGING"));
    assertEquals("m:Staging", ModelRef.parse("models:/m/staging").toString());
    assertEquals(ModelRef.alias("my model", "champion"), ModelRef.parse("models:/my%20model@champion"));
    assertEquals(ModelRef.version("a:b@c", "3"), ModelRef.parse("\"a:b@c\":3"));
    assertEquals("\"a:b@c\":3", ModelRef.version("a:b@c", "3").toString());
    assertEquals("models:/my%20model/3", ModelRef.version("my model", "3").toUri());
    for (ModelRef ref : new ModelRef[] {ModelRef.alias("my model", "x"), ModelRef.stage("m", "archived"), ModelRef.latest("a:b")}) {
      assertEquals(ref, ModelRef.parse(ref.toString()), "the short form reads back");
      assertEquals(ref, ModelRef.parse(ref.toUri()), "the URI reads back");
    }
  }

  @Test
  void everyReferenceHasARole() {
    for (String champion : new String[] {"m", "m@champion", "models:/m@Champion", "m:latest", "models:/m/production", "m:Production"}) {
      assertEquals(ModelRef.ROLE_CHAMPION, ModelRef.parse(champion).role(), champion);
    }
    for (String challenger : new String[] {"m@challenger", "m@shadow", "models:/m/Staging", "m:Archived", "m:None"}) {
      assertEquals(ModelRef.ROLE_CHALLENGER, ModelRef.parse(challenger).role(), challenger);
    }
    for (String pinned : new String[] {"m:7", "models:/m/2"}) {
      assertEquals(ModelRef.ROLE_PINNED, ModelRef.parse(pinned).role(), pinned);
    }
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse(""));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("../etc@champion"));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("m:0"));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("m:1.0.0"));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("m@"));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("models:/m"));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("models:/m/Prod"));
    assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("\"unterminated@x"));
  }
}
