package com.cryptoml.inference.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.TestModels;
import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed test-data registry, read through the FileStore reader. */
class TestDataFileStoreTest {
  private final ModelRegistry registry = new MlflowFileStoreRegistry(TestModels.TESTDATA_REGISTRY.toString());

  @Test
  void listsTheRegisteredModels() {
    List<String> models = registry.listModels();
    assertTrue(models.containsAll(List.of("swing-high-v1-1h", "swing-high-v2-1h", "swing-high-v1-4h",
        "momentum-v1-1h", "momentum-v1-4h", "momentum-v1-1d", "momentum-v1-1m", "volatility-v1-15m", "pattern-v1-5m")), models.toString());
  }

  @Test
  void resolvesAliasesVersionsAndLatest() {
    ModelVersion champion = registry.resolve(ModelRef.parse("swing-high-v1-1h"));
    assertEquals("1", champion.version());
    assertEquals("1.0.0", champion.versionLabel());
    assertEquals(List.of("champion"), champion.aliases());
    ModelVersion challenger = registry.resolve(ModelRef.parse("swing-high-v1-1h@challenger"));
    assertEquals("2", challenger.version());
    assertEquals("1.1.0", challenger.versionLabel());
    assertEquals("2", registry.resolve(ModelRef.parse("swing-high-v1-1h:latest")).version());
    assertEquals("1.0.0", registry.resolve(ModelRef.parse("swing-high-v1-1h:1")).versionLabel());
    assertEquals(2, registry.listVersions("swing-high-v1-1h").size());
    assertNotNull(champion.sha256());
    assertEquals(64, champion.sha256().length());
    assertTrue(champion.artifactUri().startsWith("file:///srv/mlflow/mlruns/"), champion.artifactUri());
  }

  @Test
  void unknownNamesAreNotFound() {
    RegistryException e = assertThrows(RegistryException.class, () -> registry.resolve(ModelRef.parse("nope-v1-1h")));
    assertTrue(e.isNotFound());
    RegistryException alias = assertThrows(RegistryException.class, () -> registry.resolve(ModelRef.parse("swing-high-v1-1h@prod")));
    assertTrue(alias.isNotFound());
    assertTrue(alias.getMessage().contains("[champion, challenger]") || alias.getMessage().contains("[challenger, champion]"), alias.getMessage());
    assertTrue(assertThrows(RegistryException.class, () -> registry.getVersion("swing-high-v1-1h", "9")).isNotFound());
  }

  @Test
  void downloadsTheArtifactReanchoredAtThisStore(@TempDir Path target) {
    ModelVersion v = registry.resolve(ModelRef.parse("pattern-v1-5m"));
    registry.download(v, target);
    assertTrue(Files.isRegularFile(target.resolve("MLmodel")));
    assertTrue(Files.isRegularFile(target.resolve("tfmodel/saved_model.pb")));
  }

  @Test
  void acceptsTheMlrunsDirectoryItselfAsRoot() {
    ModelRegistry direct = new MlflowFileStoreRegistry(TestModels.TESTDATA_REGISTRY.resolve("mlruns").toString());
    assertEquals(registry.listModels(), direct.listModels());
    assertEquals(registry.resolve(ModelRef.parse("momentum-v1-1d")), direct.resolve(ModelRef.parse("momentum-v1-1d")));
  }
}
