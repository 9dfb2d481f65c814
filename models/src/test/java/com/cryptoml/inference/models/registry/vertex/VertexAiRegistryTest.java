package com.cryptoml.inference.models.registry.vertex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.TestModels;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.RegistryException;
import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import com.cryptoml.inference.models.serving.LoadOptions;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.models.serving.ServingModel;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.aiplatform.v1.ModelServiceSettings;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Vertex AI client ({@code ModelServiceClient}) against an in-process gRPC ModelService.
 * What this does not exercise: Google's endpoint, authentication, and reading from GCS (the fake's
 * artifactUri values are local paths, read through the same Beam FileSystems call as gs:// would be).
 */
class VertexAiRegistryTest {
  private Server server;
  private ManagedChannel channel;
  private VertexAiRegistry registry;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    MlflowFileStoreRegistry store = new MlflowFileStoreRegistry(TestModels.TESTDATA_REGISTRY.toString());
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new FakeModelService("quant-prod", "europe-west4", store)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    ModelServiceSettings settings = ModelServiceSettings.newBuilder()
        .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
        .setCredentialsProvider(NoCredentialsProvider.create())
        .build();
    registry = new VertexAiRegistry("quant-prod", "europe-west4", settings);
  }

  @AfterEach
  void stop() {
    registry.close();
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void resolvesAliasesVersionsAndLatest() {
    ModelVersion champion = registry.resolve(ModelRef.parse("swing-high-v1-1h"));
    assertEquals("1", champion.version());
    assertEquals("1.0.0", champion.versionLabel());
    assertTrue(champion.aliases().contains("champion"));
    assertEquals(64, champion.sha256().length());
    assertEquals("1.1.0", registry.resolve(ModelRef.parse("swing-high-v1-1h@challenger")).versionLabel());
    assertEquals("2", registry.resolve(ModelRef.parse("swing-high-v1-1h:latest")).version());
    assertEquals("2", registry.resolve(ModelRef.parse("swing-high-v1-1h:2")).version());
    assertEquals(List.of("1", "2"), registry.listVersions("swing-high-v1-1h").stream().map(ModelVersion::version).toList());
    assertTrue(registry.listModels().contains("volatility-v1-15m"));
    assertEquals("vertex-ai:quant-prod/europe-west4", registry.describe());
  }

  @Test
  void notFoundStatusMeansNotFound() {
    assertTrue(assertThrows(RegistryException.class, () -> registry.resolve(ModelRef.parse("nope-v1-1h"))).isNotFound());
    assertTrue(assertThrows(RegistryException.class, () -> registry.resolve(ModelRef.parse("swing-high-v1-1h@prod"))).isNotFound());
  }

  @Test
  void unreachableServiceIsUnavailable() {
    server.shutdownNow();
    RegistryException e = assertThrows(RegistryException.class, () -> registry.resolve(ModelRef.parse("swing-high-v1-1h")));
    assertTrue(!e.isNotFound(), e.getMessage());
  }

  @Test
  void loadsAndServesAVersionFromItsArtifactUri(@TempDir Path cache) {
    ModelVersion v = registry.resolve(ModelRef.parse("volatility-v1-15m"));
    ModelLoader loader = new ModelLoader(registry, LoadOptions.defaults().withCacheDir(cache.toString()).withWarmup(2, 4));
    try (ServingModel model = loader.load(v)) {
      float[] out = model.predict(new float[model.inputWidth()], 1);
      assertEquals(1, out.length);
      assertTrue(out[0] >= 0 && out[0] <= 1);
    }
  }
}
