package com.cryptoml.inference.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented regeneration command reproduces the committed data exactly. */
class DeterminismTest {
  @Test
  void regeneratingGivesTheCommittedModelsAndHistory(@TempDir Path out) throws Exception {
    new Generator().generate(out);
    assertEquals(checksums(new MlflowFileStoreRegistry(CommittedModelsTest.REGISTRY.toString())),
        checksums(new MlflowFileStoreRegistry(out.resolve("registry").toString())));
    List<Path> regenerated = HistoryTest.files().stream().map(f -> out.resolve("history").resolve(f.getFileName())).toList();
    // Compared as one digest each: a failure message of 40k rows helps nobody.
    assertEquals(digest(HistoryTest.read(HistoryTest.files())), digest(HistoryTest.read(regenerated)));
    assertEquals(com.cryptoml.inference.models.artifacts.ArtifactDigest.sha256(Path.of("data/events")),
        com.cryptoml.inference.models.artifacts.ArtifactDigest.sha256(out.resolve("events")));
  }

  private static String digest(List<HistoryTest.Row> rows) throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    for (HistoryTest.Row r : rows) {
      sha.update((r.eventId() + r.timestamp() + r.features()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return rows.size() + ":" + java.util.HexFormat.of().formatHex(sha.digest());
  }

  private static List<String> checksums(ModelRegistry registry) {
    List<String> out = new ArrayList<>();
    for (String name : registry.listModels()) {
      for (ModelVersion v : registry.listVersions(name)) {
        out.add(v.name() + ":" + v.version() + ":" + v.versionLabel() + ":" + v.aliases() + ":" + v.sha256());
      }
    }
    return out;
  }
}
