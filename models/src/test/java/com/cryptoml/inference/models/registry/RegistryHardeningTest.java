package com.cryptoml.inference.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.TestModels;
import com.cryptoml.inference.models.artifacts.ArtifactDigest;
import com.cryptoml.inference.models.artifacts.StoreFiles;
import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import com.cryptoml.inference.models.serving.LoadOptions;
import com.cryptoml.inference.models.serving.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.framework.DataType;
import org.tensorflow.proto.framework.MetaGraphDef;
import org.tensorflow.proto.framework.SavedModel;
import org.tensorflow.proto.framework.SignatureDef;
import org.tensorflow.proto.framework.TensorInfo;

/**
 * Malformed and hostile copies of the committed registry: links out of the store or out of an
 * artifact, a signature the SavedModel lacks, a float64 input, unreadable version files, names with
 * spaces, roots that are not stores, unsupported schemes, Keras files and empty flavors. Each is
 * refused with its reason, and a refused version leaves nothing in the cache.
 */
class RegistryHardeningTest {
  @TempDir
  Path tmp;
  private Path store;
  private Path cache;

  @BeforeEach
  void copyRegistry() throws IOException {
    store = tmp.resolve("store");
    cache = tmp.resolve("cache");
    copy(TestModels.TESTDATA_REGISTRY, store);
  }

  private MlflowFileStoreRegistry registry() {
    return new MlflowFileStoreRegistry(store.toString());
  }

  private ModelLoader loader() {
    return new ModelLoader(registry(), LoadOptions.defaults().withCacheDir(cache.toString()).withWarmup(1, 4));
  }

  private Path artifactOf(String ref) {
    MlflowFileStoreRegistry r = registry();
    return Path.of(r.resolveArtifactDir(r.resolve(ModelRef.parse(ref))));
  }

  @Test
  void anArtifactDirectoryLinkedOutsideTheStoreIsRefusedAndLeavesNothingInTheCache() throws IOException {
    Path artifact = artifactOf("swing-high-v1-1h");
    Path outside = tmp.resolve("outside");
    Files.move(artifact, outside);
    Files.createSymbolicLink(artifact, outside); // same files: the sha256 tag still matches them

    ModelRefusedException e = assertThrows(ModelRefusedException.class,
        () -> loader().prepare(registry().resolve(ModelRef.parse("swing-high-v1-1h"))));
    assertEquals(Reason.UNSAFE_PATH, e.reason());
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertEquals(List.of(), filesUnder(cache));
  }

  @Test
  void aLinkedFileInsideAnArtifactIsRefusedAndNotCopied() throws IOException {
    Path mlmodel = artifactOf("momentum-v1-1h").resolve("MLmodel");
    Path outside = tmp.resolve("MLmodel.outside");
    Files.move(mlmodel, outside);
    Files.createSymbolicLink(mlmodel, outside);

    ModelRefusedException e = assertThrows(ModelRefusedException.class,
        () -> loader().prepare(registry().resolve(ModelRef.parse("momentum-v1-1h"))));
    assertEquals(Reason.UNSAFE_PATH, e.reason());
    assertTrue(e.getMessage().contains("MLmodel"), e.getMessage());
    assertEquals(List.of(), filesUnder(cache));
  }

  @Test
  void aSignatureKeyTheSavedModelLacksIsRefused() throws IOException {
    Path artifact = artifactOf("momentum-v1-1h");
    Path mlmodel = artifact.resolve("MLmodel");
    Files.writeString(mlmodel, Files.readString(mlmodel).replace("signature_def_key: \"serving_default\"", "signature_def_key: \"predict_v2\""));
    retag("momentum-v1-1h", 1, artifact);

    ModelRefusedException e = assertThrows(ModelRefusedException.class,
        () -> loader().prepare(registry().resolve(ModelRef.parse("momentum-v1-1h"))));
    assertEquals(Reason.SIGNATURE_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("'predict_v2' is not in the SavedModel") && e.getMessage().contains("serving_default"), e.getMessage());
    assertEquals(List.of(), filesUnder(cache));
  }

  @Test
  void aFloat64InputIsRefusedAtLoadNotAtTheFirstPrediction() throws IOException {
    Path artifact = artifactOf("momentum-v1-1h");
    Path pb = artifact.resolve("tfmodel/saved_model.pb");
    SavedModel saved = SavedModel.parseFrom(Files.readAllBytes(pb));
    MetaGraphDef graph = saved.getMetaGraphs(0);
    SignatureDef signature = graph.getSignatureDefOrThrow("serving_default");
    String input = signature.getInputsMap().keySet().iterator().next();
    TensorInfo asDouble = signature.getInputsOrThrow(input).toBuilder().setDtype(DataType.DT_DOUBLE).build();
    SavedModel changed = saved.toBuilder().setMetaGraphs(0, graph.toBuilder()
        .putSignatureDef("serving_default", signature.toBuilder().putInputs(input, asDouble).build())).build();
    Files.write(pb, changed.toByteArray());
    retag("momentum-v1-1h", 1, artifact);

    ModelRefusedException e = assertThrows(ModelRefusedException.class,
        () -> loader().prepare(registry().resolve(ModelRef.parse("momentum-v1-1h"))));
    assertEquals(Reason.SIGNATURE_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("DT_DOUBLE") && e.getMessage().contains("float32"), e.getMessage());
  }

  @Test
  void anUnreadableVersionFileRefusesThatVersionOnly() throws IOException {
    Path meta = store.resolve("mlruns/models/swing-high-v1-1h/version-2/meta.yaml");
    for (String content : List.of("version: [unclosed\n", "")) {
      Files.writeString(meta, content);
      MlflowFileStoreRegistry r = registry();
      assertEquals("1", r.resolve(ModelRef.parse("swing-high-v1-1h:latest")).version(), "the readable version is the latest");
      assertEquals("1", r.resolve(ModelRef.parse("swing-high-v1-1h")).version(), "champion still resolves");
      RegistryException e = assertThrows(RegistryException.class, () -> r.resolve(ModelRef.parse("swing-high-v1-1h:2")));
      assertTrue(e.isInvalid(), e.getMessage());
      assertTrue(e.getMessage().contains("version 2 of model swing-high-v1-1h cannot be read"), e.getMessage());
    }
  }

  @Test
  void aModelNameWithSpacesIsReferenceableQuotedOrEncoded() throws IOException {
    Files.move(store.resolve("mlruns/models/momentum-v1-1d"), store.resolve("mlruns/models/momentum daily"));
    MlflowFileStoreRegistry r = registry();
    assertTrue(r.listModels().contains("momentum daily"));
    assertEquals("1", r.resolve(ModelRef.parse("\"momentum daily\"@champion")).version());
    assertEquals("1", r.resolve(ModelRef.parse("\"momentum daily\"")).version());
    assertEquals("1", r.resolve(ModelRef.parse("models:/momentum%20daily/1")).version());
    assertEquals("1", r.resolve(ModelRef.parse("models:/momentum%20daily@champion")).version());
    assertEquals("\"momentum daily\"@champion", ModelRef.parse("models:/momentum%20daily@champion").toString());
  }

  @Test
  void stagesResolveLikeMlflowsOwnClients() throws IOException {
    // As MLflow 2.x writes a registry promoted by stages: no aliases, version 2 in Staging, 1 in Production.
    deleteTree(store.resolve("mlruns/models/swing-high-v1-1h/aliases"));
    stage("swing-high-v1-1h", 1, "Production");
    stage("swing-high-v1-1h", 2, "Staging");
    MlflowFileStoreRegistry r = registry();
    for (String ref : List.of("models:/swing-high-v1-1h/Staging", "models:/swing-high-v1-1h/staging", "swing-high-v1-1h:Staging",
        "swing-high-v1-1h@Staging", "models:/swing-high-v1-1h/2", "swing-high-v1-1h:2")) {
      assertEquals("2", r.resolve(ModelRef.parse(ref)).version(), ref);
      assertEquals("1.1.0", r.resolve(ModelRef.parse(ref)).versionLabel(), ref);
    }
    assertEquals("1", r.resolve(ModelRef.parse("models:/swing-high-v1-1h/PRODUCTION")).version());
    assertEquals("Production", r.resolve(ModelRef.parse("swing-high-v1-1h:production")).stage());
    RegistryException none = assertThrows(RegistryException.class, () -> r.resolve(ModelRef.parse("models:/swing-high-v1-1h/Archived")));
    assertTrue(none.isNotFound() && none.getMessage().contains("no version in stage Archived"), none.getMessage());
  }

  @Test
  void rootsThatAreNoStoreAreErrorsNotEmptyRegistries() throws IOException {
    RegistryException missing = assertThrows(RegistryException.class, () -> new MlflowFileStoreRegistry(tmp.resolve("nope").toString()));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    Path file = Files.writeString(tmp.resolve("file.txt"), "x");
    RegistryException isFile = assertThrows(RegistryException.class, () -> new MlflowFileStoreRegistry(file.toString()));
    assertTrue(isFile.getMessage().contains("is a file"), isFile.getMessage());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    RegistryException isEmpty = assertThrows(RegistryException.class, () -> new MlflowFileStoreRegistry(empty.toString()));
    assertTrue(isEmpty.getMessage().contains("holds no registered model"), isEmpty.getMessage());

    StoreFiles.UnsupportedSchemeException s3 = assertThrows(StoreFiles.UnsupportedSchemeException.class,
        () -> new MlflowFileStoreRegistry("s3://bucket/mlflow"));
    assertTrue(s3.getMessage().contains("s3://") && s3.getMessage().contains("supported: a local path"), s3.getMessage());
  }

  @Test
  void fileUrisWithSpacesAreReadRawOrPercentEncoded() throws IOException {
    Path spaced = tmp.resolve("my stores").resolve("registry one");
    copy(TestModels.TESTDATA_REGISTRY, spaced);
    String absolute = spaced.toAbsolutePath().toString();
    for (String uri : List.of("file://" + absolute, "file://" + absolute.replace(" ", "%20"), "file:" + absolute.replace(" ", "%20"))) {
      assertTrue(new MlflowFileStoreRegistry(uri).listModels().contains("momentum-v1-1m"), uri);
    }
  }

  @Test
  void flavorAndArtifactMessagesSayWhatWasFound() throws IOException {
    Path artifact = artifactOf("momentum-v1-1h");
    Path mlmodel = artifact.resolve("MLmodel");
    String original = Files.readString(mlmodel);

    Files.writeString(mlmodel, "flavors:\n  tensorflow:\n" + original.substring(original.indexOf("metadata:")));
    retag("momentum-v1-1h", 1, artifact);
    ModelRefusedException empty = assertThrows(ModelRefusedException.class,
        () -> loader().prepare(registry().resolve(ModelRef.parse("momentum-v1-1h"))));
    assertEquals(Reason.INVALID_METADATA, empty.reason());
    assertTrue(empty.getMessage().contains("empty (tensorflow: null)"), empty.getMessage());

    // MLflow 3's Keras format: a .keras file where the SavedModel would be.
    deleteTree(artifact.resolve("tfmodel"));
    Files.createDirectories(artifact.resolve("data"));
    Files.writeString(artifact.resolve("data/model.keras"), "PK not really a zip");
    Files.writeString(mlmodel, "flavors:\n  tensorflow:\n    model_type: keras\n    data: data\n"
        + original.substring(original.indexOf("metadata:")));
    retag("momentum-v1-1h", 1, artifact);
    ModelRefusedException keras = assertThrows(ModelRefusedException.class,
        () -> loader().prepare(registry().resolve(ModelRef.parse("momentum-v1-1h"))));
    assertEquals(Reason.UNSUPPORTED_FLAVOR, keras.reason());
    assertTrue(keras.getMessage().contains("data/model.keras") && keras.getMessage().contains("not served"), keras.getMessage());
    assertEquals(List.of(), filesUnder(cache));
  }

  @Test
  void aRegistryUriWithCredentialsIsRefusedWithoutShowingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Registries.open("https://alice:s3cret-pw@mlflow.example.com"));
    assertFalse(e.getMessage().contains("s3cret-pw"), e.getMessage());
    assertFalse(e.getMessage().contains("alice"), e.getMessage());
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_TOKEN") && e.getMessage().contains("MLFLOW_TRACKING_PASSWORD"), e.getMessage());
    assertEquals("https://***@mlflow.example.com/x", Registries.redact("https://alice:s3cret-pw@mlflow.example.com/x"));
  }

  private void stage(String model, int version, String stage) throws IOException {
    Path meta = store.resolve("mlruns/models/" + model + "/version-" + version + "/meta.yaml");
    Files.writeString(meta, Files.readString(meta).replace("current_stage: None", "current_stage: " + stage));
  }

  private void retag(String model, int version, Path artifact) throws IOException {
    Files.writeString(store.resolve("mlruns/models/" + model + "/version-" + version + "/tags/sha256"), ArtifactDigest.sha256(artifact));
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !Files.isDirectory(p)).toList();
    }
  }

  static void copy(Path from, Path to) throws IOException {
    TestModels.copyTree(from, to);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
