package com.cryptoml.inference.models.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactDigestTest {
  @Test
  void digestDependsOnNamesAndBytesNotOnWritingOrder(@TempDir Path a, @TempDir Path b) throws Exception {
    Files.createDirectories(a.resolve("tfmodel"));
    Files.writeString(a.resolve("MLmodel"), "flavors: {}\n");
    Files.write(a.resolve("tfmodel/saved_model.pb"), new byte[] {1, 2, 3});
    Files.createDirectories(b.resolve("tfmodel"));
    Files.write(b.resolve("tfmodel/saved_model.pb"), new byte[] {1, 2, 3});
    Files.writeString(b.resolve("MLmodel"), "flavors: {}\n");
    assertEquals(ArtifactDigest.sha256(a), ArtifactDigest.sha256(b));
    assertEquals(64, ArtifactDigest.sha256(a).length());

    Files.write(b.resolve("tfmodel/saved_model.pb"), new byte[] {1, 2, 4});
    assertNotEquals(ArtifactDigest.sha256(a), ArtifactDigest.sha256(b));
    Files.write(b.resolve("tfmodel/saved_model.pb"), new byte[] {1, 2, 3});
    Files.move(b.resolve("MLmodel"), b.resolve("MLmodel2"));
    assertNotEquals(ArtifactDigest.sha256(a), ArtifactDigest.sha256(b));
  }

  @Test
  void safePaths() {
    assertTrue(SafePaths.isSafeRelative("tfmodel/saved_model.pb"));
    for (String bad : new String[] {"../x", "a/../../x", "/etc", "C:/x", "a\\b", "", "a\0b"}) {
      assertFalse(SafePaths.isSafeRelative(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> SafePaths.resolveInside(Path.of("/tmp/x"), "../y"));
  }
}
