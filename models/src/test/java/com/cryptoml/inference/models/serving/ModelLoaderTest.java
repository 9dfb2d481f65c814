package com.cryptoml.inference.models.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.TestModels;
import com.cryptoml.inference.models.export.DenseNetwork.Activation;
import com.cryptoml.inference.models.export.MlModelWriter;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.OutputSpec;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a version can be bad is refused with the model, the version and the reason, and what
 * the cache already serves keeps serving.
 */
class ModelLoaderTest {
  @TempDir Path root;
  @TempDir Path cacheDir;
  private TestModels.Store store;
  private ModelRegistry registry;
  private ModelLoader loader;
  private ModelCache cache;

  @BeforeEach
  void setUp() throws IOException {
    store = new TestModels.Store(root);
    store.registerSimple("good-v1-1h", 1, "1.0.0", 4, 1);
    registry = new MlflowFileStoreRegistry(root.toString());
    loader = new ModelLoader(registry, LoadOptions.defaults().withCacheDir(cacheDir.toString()).withWarmup(3, 8));
    cache = new ModelCache(4, Duration.ofMinutes(1));
  }

  private ModelRefusedException refusal(String name, int version) {
    ModelVersion v = registry.resolve(ModelRef.version(name, String.valueOf(version)));
    ModelRefusedException e = assertThrows(ModelRefusedException.class, () -> cache.acquire(v, loader::load).close());
    assertEquals(name, e.model());
    assertEquals(String.valueOf(version), e.version());
    assertTrue(e.getMessage().startsWith("Refusing model " + name + " version " + version + ": " + e.reason().code()), e.getMessage());
    return e;
  }

  /** The good model still serves after any refusal. */
  private void goodStillServes() {
    ModelVersion good = registry.resolve(ModelRef.parse("good-v1-1h"));
    try (ModelCache.Lease lease = cache.acquire(good, loader::load)) {
      assertEquals(3, lease.model().predict(new float[4], 1).length);
    }
  }

  @Test
  void loadsVerifiesWarmsUpAndPredicts() {
    ModelVersion v = registry.resolve(ModelRef.parse("good-v1-1h"));
    try (ModelCache.Lease lease = cache.acquire(v, loader::load)) {
      ServingModel m = lease.model();
      float[] out = m.predict(new float[] {0.1f, -0.2f, 0.3f, 1f, 0, 0, 0, 0}, 2);
      assertEquals(6, out.length);
      assertEquals(1.0, out[0] + out[1] + out[2], 1e-5);
      assertTrue(m.byteSize() > 0);
      assertTrue(m.loadTime().toNanos() > 0);
      assertEquals("1.0.0", m.version().versionLabel());
    }
  }

  /**
   * The model resolver's and the cache's loads of one version can overlap (and two processes can
   * share a cache directory): each load gets a copy of its own, so none removes files another is
   * still verifying or loading.
   */
  @Test
  void overlappingLoadsOfOneVersionEachGetTheirOwnCopy() throws Exception {
    ModelVersion v = registry.resolve(ModelRef.parse("good-v1-1h"));
    int loads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(loads);
    CyclicBarrier start = new CyclicBarrier(loads);
    try {
      List<Future<ModelLoader.PreparedModel>> prepared = new ArrayList<>();
      for (int i = 0; i < loads; i++) {
        prepared.add(pool.submit(() -> {
          start.await();
          ModelLoader.PreparedModel p = loader.prepare(v);
          // What a load does next with the files: they must still be there, whole.
          assertTrue(Files.isRegularFile(p.savedModelDir().resolve("saved_model.pb")), p.savedModelDir().toString());
          ModelLoader.verifyChecksum(v, p.artifactDir());
          return p;
        }));
      }
      Set<Path> copies = new HashSet<>();
      for (Future<ModelLoader.PreparedModel> f : prepared) {
        copies.add(f.get(60, TimeUnit.SECONDS).artifactDir());
      }
      assertEquals(loads, copies.size(), "one copy per load: " + copies);
    } finally {
      pool.shutdownNow();
    }
    try (ModelCache.Lease lease = cache.acquire(v, loader::load)) {
      assertEquals(3, lease.model().predict(new float[4], 1).length);
    }
  }

  @Test
  void aFetchRemovesCopiesAndDownloadsLeftLongAgoAndKeepsRecentOnes() throws IOException {
    ModelVersion v = registry.resolve(ModelRef.parse("good-v1-1h"));
    Path first = loader.prepare(v).artifactDir();
    Path versionDir = first.getParent();
    Path oldCopy = Files.createDirectories(versionDir.resolve(ModelLoader.COPY_PREFIX + "old"));
    Files.writeString(oldCopy.resolve("MLmodel"), "left by a load two hours ago");
    Path oldDownload = Files.createDirectories(versionDir.resolve(ModelLoader.DOWNLOAD_PREFIX + "abandoned"));
    Path recentDownload = Files.createDirectories(versionDir.resolve(ModelLoader.DOWNLOAD_PREFIX + "in-progress"));
    Path oldLayout = Files.writeString(versionDir.resolve("MLmodel"), "the layout before copies");
    Instant now = Instant.now();
    for (Path p : List.of(oldCopy, oldLayout, recentDownload)) {
      Files.setLastModifiedTime(p, FileTime.from(now.minus(Duration.ofHours(2))));
    }
    Files.setLastModifiedTime(oldDownload, FileTime.from(now.minus(Duration.ofDays(2))));

    Path second = loader.prepare(v).artifactDir();

    assertTrue(Files.isDirectory(first), "a copy from a moment ago stays: its load may still be reading it");
    assertTrue(Files.isDirectory(second));
    assertTrue(Files.isDirectory(recentDownload), "a download two hours old may still be running");
    assertTrue(Files.notExists(oldCopy));
    assertTrue(Files.notExists(oldDownload));
    assertTrue(Files.notExists(oldLayout));
  }

  @Test
  void missingArtifact() throws IOException {
    Path dir = store.registerSimple("gone-v1-1h", 1, "1.0.0", 4, 2);
    deleteTree(dir);
    goodStillServes();
    assertEquals(Reason.MISSING_ARTIFACT, refusal("gone-v1-1h", 1).reason());
    goodStillServes();
  }

  @Test
  void checksumMismatch() throws IOException {
    Path dir = store.registerSimple("tampered-v1-1h", 1, "1.0.0", 4, 3);
    Files.writeString(dir.resolve("MLmodel"), Files.readString(dir.resolve("MLmodel")) + "# edited\n");
    goodStillServes();
    ModelRefusedException e = refusal("tampered-v1-1h", 1);
    assertEquals(Reason.CHECKSUM_MISMATCH, e.reason());
    goodStillServes();
  }

  @Test
  void missingChecksumTag() throws IOException {
    store.registerSimple("unsigned-v1-1h", 1, "1.0.0", 4, 4);
    Files.delete(root.resolve("mlruns/models/unsigned-v1-1h/version-1/tags/sha256"));
    assertEquals(Reason.MISSING_CHECKSUM, refusal("unsigned-v1-1h", 1).reason());
  }

  @Test
  void unreadableSavedModel() throws IOException {
    Path dir = store.registerSimple("corrupt-v1-1h", 1, "1.0.0", 4, 5);
    Files.write(dir.resolve("tfmodel/saved_model.pb"), new byte[] {1, 2, 3, 4, 5, 6, 7});
    resign("corrupt-v1-1h", 1, dir);
    goodStillServes();
    assertEquals(Reason.UNREADABLE_SAVED_MODEL, refusal("corrupt-v1-1h", 1).reason());
    goodStillServes();
  }

  @Test
  void signatureNotMatchingTheMetadata() throws IOException {
    Path dir = store.registerSimple("wide-v1-1h", 1, "1.0.0", 4, 6);
    // The metadata now claims 5 features while the graph takes 4.
    MlModelWriter.writeMlModel(dir, TestModels.metadata("wide-v1-1h", 5, 1).build(), "r");
    resign("wide-v1-1h", 1, dir);
    ModelRefusedException e = refusal("wide-v1-1h", 1);
    assertEquals(Reason.SIGNATURE_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("[batch, 5]"), e.getMessage());
  }

  @Test
  void wrongOutputTensorName() throws IOException {
    Path dir = store.registerSimple("renamed-v1-1h", 1, "1.0.0", 4, 7);
    ModelMetadata md = TestModels.metadata("renamed-v1-1h", 4, 1)
        .output(OutputSpec.classProbabilities("logits", java.util.List.of(-1, 0, 1))).build();
    MlModelWriter.writeMlModel(dir, md, "r");
    resign("renamed-v1-1h", 1, dir);
    assertEquals(Reason.SIGNATURE_MISMATCH, refusal("renamed-v1-1h", 1).reason());
  }

  @Test
  void invalidMetadata() throws IOException {
    Path dir = store.registerSimple("badmeta-v1-1h", 1, "1.0.0", 4, 8);
    Path mlmodel = dir.resolve("MLmodel");
    Files.writeString(mlmodel, Files.readString(mlmodel).replace("timeframe: \"1h\"", "timeframe: \"7x\""));
    resign("badmeta-v1-1h", 1, dir);
    ModelRefusedException e = refusal("badmeta-v1-1h", 1);
    assertEquals(Reason.INVALID_METADATA, e.reason());
    assertTrue(e.getMessage().contains("'timeframe'"), e.getMessage());
  }

  @Test
  void metadataNamingAnotherModel() throws IOException {
    Path dir = store.registerSimple("alias-v1-1h", 1, "1.0.0", 4, 9);
    MlModelWriter.writeMlModel(dir, TestModels.metadata("someone-else", 4, 1).build(), "r");
    resign("alias-v1-1h", 1, dir);
    assertEquals(Reason.INVALID_METADATA, refusal("alias-v1-1h", 1).reason());
  }

  @Test
  void nonTensorFlowFlavor() throws IOException {
    Path dir = store.registerSimple("sk-v1-1h", 1, "1.0.0", 4, 10);
    Files.writeString(dir.resolve("MLmodel"), "flavors:\n  sklearn:\n    pickled_model: model.pkl\n");
    resign("sk-v1-1h", 1, dir);
    assertEquals(Reason.UNSUPPORTED_FLAVOR, refusal("sk-v1-1h", 1).reason());
  }

  @Test
  void warmUpOutputsThatAreNotProbabilities() throws IOException {
    store.register("raw-v1-1h", 1, "1.0.0", TestModels.randomNetwork(4, 0, 3, Activation.NONE, 11),
        TestModels.metadata("raw-v1-1h", 4, 1).build());
    goodStillServes();
    assertEquals(Reason.WARMUP_FAILED, refusal("raw-v1-1h", 1).reason());
    goodStillServes();
  }

  @Test
  void aRefusalIsRememberedSoABadVersionIsNotReloadedPerElement() throws IOException {
    Path dir = store.registerSimple("flaky-v1-1h", 1, "1.0.0", 4, 12);
    Files.writeString(dir.resolve("MLmodel"), "flavors: {}\n");
    refusal("flaky-v1-1h", 1);
    refusal("flaky-v1-1h", 1);
    assertEquals(1, cache.stats().loadFailures());
  }

  private void resign(String name, int version, Path dir) throws IOException {
    store.writer.setVersionTag(name, version, "sha256", com.cryptoml.inference.models.artifacts.ArtifactDigest.sha256(dir));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
