package com.cryptoml.inference.models.registry.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.TestModels;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.RegistryException;
import com.cryptoml.inference.models.serving.LoadOptions;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.models.serving.ServingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowRestRegistryTest {
  private static final String TOKEN = "tok-7f3a9c-SECRET";
  private FakeMlflowServer server;
  private MlflowRestRegistry registry;

  @BeforeEach
  void start() throws Exception {
    server = new FakeMlflowServer(TestModels.TESTDATA_REGISTRY, "Bearer " + TOKEN);
    registry = new MlflowRestRegistry(server.uri(), Map.of("MLFLOW_TRACKING_TOKEN", TOKEN), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void resolvesByAliasVersionAndLatest() {
    ModelVersion champion = registry.resolve(ModelRef.parse("swing-high-v1-1h"));
    assertEquals("1", champion.version());
    assertEquals("1.0.0", champion.versionLabel());
    assertEquals(List.of("champion"), champion.aliases());
    assertEquals(64, champion.sha256().length());
    assertEquals("1.1.0", registry.resolve(ModelRef.parse("swing-high-v1-1h@challenger")).versionLabel());
    assertEquals("2", registry.resolve(ModelRef.parse("swing-high-v1-1h:latest")).version());
    assertEquals("1.0.0", registry.resolve(ModelRef.parse("swing-high-v1-1h:1")).versionLabel());
    List<ModelVersion> versions = registry.listVersions("swing-high-v1-1h");
    assertEquals(List.of("1", "2"), versions.stream().map(ModelVersion::version).toList());
    assertTrue(versions.get(0).aliases().isEmpty(), "search answers leave aliases out; the client copes");
    assertTrue(registry.listModels().contains("pattern-v1-5m"));
  }

  @Test
  void everyReferenceFormResolvesAsItsShortForm() {
    for (String[] same : List.of(new String[] {"models:/swing-high-v1-1h@challenger", "swing-high-v1-1h@challenger"},
        new String[] {"models:/swing-high-v1-1h/2", "swing-high-v1-1h:2"},
        new String[] {"models:/swing-high-v1-1h/latest", "swing-high-v1-1h:latest"},
        new String[] {"models:/swing-high-v1-1h@champion", "swing-high-v1-1h"})) {
      assertEquals(registry.resolve(ModelRef.parse(same[1])), registry.resolve(ModelRef.parse(same[0])), same[0]);
    }
  }

  @Test
  void stagesGoThroughGetLatestVersions(@TempDir Path tmp) throws Exception {
    Path store = tmp.resolve("store");
    TestModels.copyTree(TestModels.TESTDATA_REGISTRY, store);
    Path meta = store.resolve("mlruns/models/swing-high-v1-1h/version-2/meta.yaml");
    Files.writeString(meta, Files.readString(meta).replace("current_stage: None", "current_stage: Staging"));
    try (FakeMlflowServer staged = new FakeMlflowServer(store, null)) {
      MlflowRestRegistry r = new MlflowRestRegistry(staged.uri(), Map.of(), Duration.ofSeconds(5));
      for (String ref : List.of("models:/swing-high-v1-1h/Staging", "swing-high-v1-1h:staging", "swing-high-v1-1h@Staging")) {
        ModelVersion v = r.resolve(ModelRef.parse(ref));
        assertEquals("2", v.version(), ref);
        assertEquals("Staging", v.stage(), ref);
      }
      assertTrue(staged.requests.stream().anyMatch(q -> q.startsWith("/api/2.0/mlflow/registered-models/get-latest-versions")));
      RegistryException none = assertThrows(RegistryException.class, () -> r.resolve(ModelRef.parse("models:/swing-high-v1-1h/Production")));
      assertTrue(none.isNotFound(), none.getMessage());
    }
  }

  @Test
  void mlflowErrorBodiesBecomeNotFound() {
    RegistryException alias = assertThrows(RegistryException.class, () -> registry.resolve(ModelRef.parse("swing-high-v1-1h@prod")));
    assertTrue(alias.isNotFound());
    assertTrue(alias.getMessage().contains("HTTP 400 INVALID_PARAMETER_VALUE"), alias.getMessage());
    RegistryException model = assertThrows(RegistryException.class, () -> registry.listVersions("nope"));
    assertTrue(model.isNotFound());
    assertTrue(model.getMessage().contains("RESOURCE_DOES_NOT_EXIST"), model.getMessage());
    assertTrue(assertThrows(RegistryException.class, () -> registry.getVersion("swing-high-v1-1h", "9")).isNotFound());
  }

  @Test
  void wrongCredentialsAndUnreachableServersAreUnavailableNotNotFound() {
    MlflowRestRegistry wrong = new MlflowRestRegistry(server.uri(), Map.of("MLFLOW_TRACKING_TOKEN", "nope"), Duration.ofSeconds(5));
    RegistryException e = assertThrows(RegistryException.class, () -> wrong.resolve(ModelRef.parse("swing-high-v1-1h")));
    assertFalse(e.isNotFound());
    assertTrue(e.getMessage().contains("401"), e.getMessage());

    server.close();
    RegistryException down = assertThrows(RegistryException.class, () -> registry.resolve(ModelRef.parse("swing-high-v1-1h")));
    assertFalse(down.isNotFound());
    assertFalse(down.getMessage().contains(TOKEN));
  }

  @Test
  void downloadsArtifactsRecursivelyAndServesTheModel(@TempDir Path cache) {
    ModelVersion v = registry.resolve(ModelRef.parse("swing-high-v2-1h"));
    ModelLoader loader = new ModelLoader(registry, LoadOptions.defaults().withCacheDir(cache.toString()).withWarmup(2, 4));
    try (ServingModel model = loader.load(v)) {
      assertEquals(3, model.predict(new float[model.inputWidth()], 1).length);
      assertEquals("2.0.0", model.version().versionLabel());
    }
    assertTrue(server.requests.stream().anyMatch(r -> r.startsWith("/api/2.0/mlflow-artifacts/artifacts/") && r.endsWith("saved_model.pb")),
        server.requests.toString());
    assertTrue(server.requests.stream().anyMatch(r -> r.contains("get-download-uri")));
  }

  @Test
  void bearerTokenIsSentButNeverShown() {
    registry.resolve(ModelRef.parse("momentum-v1-1h"));
    assertTrue(server.authorizations.stream().allMatch(("Bearer " + TOKEN)::equals));
    assertFalse(registry.describe().contains(TOKEN));
    assertFalse(registry.toString().contains(TOKEN));
    RegistryException e = assertThrows(RegistryException.class, () -> registry.resolve(ModelRef.parse("momentum-v1-1h@none")));
    assertFalse(e.getMessage().contains(TOKEN));
  }

  @Test
  void basicAuthFromTheEnvironment() throws Exception {
    String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("quant:pw".getBytes());
    try (FakeMlflowServer basic = new FakeMlflowServer(TestModels.TESTDATA_REGISTRY, expected)) {
      MlflowRestRegistry r = new MlflowRestRegistry(basic.uri(),
          Map.of("MLFLOW_TRACKING_USERNAME", "quant", "MLFLOW_TRACKING_PASSWORD", "pw"), Duration.ofSeconds(5));
      assertEquals("1", r.resolve(ModelRef.parse("momentum-v1-1d")).version());
      assertFalse(r.describe().contains("pw"));
    }
  }

  @Test
  void aListingThatTriesToEscapeTheTargetIsRefused(@TempDir Path target) {
    ModelVersion v = registry.resolve(ModelRef.parse("momentum-v1-1d"));
    server.maliciousListing = true;
    com.cryptoml.inference.models.ModelRefusedException e =
        assertThrows(com.cryptoml.inference.models.ModelRefusedException.class, () -> registry.download(v, target));
    assertEquals(com.cryptoml.inference.models.ModelRefusedException.Reason.UNSAFE_PATH, e.reason());
    assertFalse(Files.exists(target.resolve("../passwd")));
  }
}
