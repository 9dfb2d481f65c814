package com.cryptoml.inference.models.serving;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.artifacts.ArtifactDigest;
import com.cryptoml.inference.models.artifacts.SafePaths;
import com.cryptoml.inference.models.metadata.MlModelFile;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prepares one registry version for serving, in this order: download the artifact into the local
 * cache, read the MLmodel file (TensorFlow flavor only), verify the artifact's SHA-256 against the
 * registry's {@code sha256} tag, validate the metadata and the SavedModel's signature; then a {@link
 * ModelHandler} loads it into its engine and warms it up. Any failure is a {@link
 * ModelRefusedException} naming model, version and reason.
 */
public final class ModelLoader {
  private final ModelRegistry registry;
  private final LoadOptions options;
  private final ModelHandler handler;

  public ModelLoader(ModelRegistry registry, LoadOptions options) {
    this(registry, options, TensorFlowHandler.INSTANCE);
  }

  public ModelLoader(ModelRegistry registry, LoadOptions options, ModelHandler handler) {
    this.registry = registry;
    this.options = options;
    this.handler = handler;
  }

  public ModelHandler handler() {
    return handler;
  }

  public ModelRegistry registry() {
    return registry;
  }

  public LoadOptions options() {
    return options;
  }

  /** A version downloaded, verified and described, but not loaded into TensorFlow. */
  public record PreparedModel(ModelVersion version, ModelMetadata metadata, Path artifactDir, Path savedModelDir,
      List<String> tags, String signatureKey) {}

  /**
   * Everything but TensorFlow: download, MLmodel, checksum, metadata. What a pipeline's driver or
   * model resolver needs to route features, without the natives.
   */
  public PreparedModel prepare(ModelVersion version) {
    Path artifact = fetch(version);
    try {
      return check(version, artifact);
    } catch (RuntimeException e) {
      deleteTree(artifact); // a refused version leaves nothing in the cache
      throw e;
    }
  }

  private PreparedModel check(ModelVersion version, Path artifact) {
    MlModelFile mlModel = MlModelFile.read(artifact, version.name(), version.version());
    verifyChecksum(version, artifact);
    ModelMetadata metadata = ModelMetadata.parse(mlModel.metadataNode(), version.name(), version.version());
    if (!metadata.modelId().equals(version.name())) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.INVALID_METADATA,
          "metadata field 'model_id' is '" + metadata.modelId() + "' but the registered model is '" + version.name() + "'");
    }
    Path savedModel;
    try {
      savedModel = SafePaths.resolveInside(artifact, mlModel.savedModelDir());
    } catch (IllegalArgumentException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH, e.getMessage());
    }
    if (!Files.isRegularFile(savedModel.resolve("saved_model.pb"))) {
      String keras = kerasFile(artifact);
      if (keras != null) {
        throw new ModelRefusedException(version.name(), version.version(), Reason.UNSUPPORTED_FLAVOR,
            "the artifact holds a Keras file (" + keras + "), not a SavedModel: Keras files are not served; export a SavedModel"
                + " (model.export(dir) or tf.saved_model.save) and log it with the tensorflow flavor");
      }
      throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT,
          "no saved_model.pb under " + mlModel.savedModelDir() + "/ in the artifact");
    }
    String signature = metadata.signatureDefKey().orElse(mlModel.signatureDefKey());
    SavedModelSignatures.check(version, savedModel, mlModel.tags(), signature, metadata);
    return new PreparedModel(version, metadata, artifact, savedModel, mlModel.tags(), signature);
  }

  /** The first {@code .keras} or {@code .h5} file of the artifact, relative to it, or null. */
  private static String kerasFile(Path artifact) {
    try (Stream<Path> walk = Files.walk(artifact)) {
      return walk.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".keras") || p.toString().endsWith(".h5")))
          .map(p -> artifact.relativize(p).toString()).sorted().findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** Prepares, then has the handler load it into its engine, check the signature and warm it up. */
  public ServingModel load(ModelVersion version) {
    long start = System.nanoTime();
    PreparedModel p = prepare(version);
    try {
      return handler.load(p, options, start);
    } catch (RuntimeException e) {
      deleteTree(p.artifactDir()); // a refused version leaves nothing in the cache
      throw e;
    }
  }

  /**
   * Downloads the version into a directory of its own under the version's cache directory and
   * returns it. Every load downloads and verifies again (a cached copy is never trusted blindly), and
   * loads of one version can run at once: the model resolver's and the model cache's in one JVM, or
   * two processes sharing the cache directory. Each reads its own copy, so none can delete or replace
   * the files another is verifying or loading. Copies older than {@link #STALE_COPY} (their loads
   * have long finished: TensorFlow holds a loaded model in memory) and downloads abandoned for
   * {@link #STALE_DOWNLOAD} are removed on the next fetch.
   */
  Path fetch(ModelVersion version) {
    Path cacheRoot = Paths.get(options.artifactCacheDir());
    String sha = version.sha256() == null ? "unverified" : version.sha256().substring(0, Math.min(16, version.sha256().length()));
    Path versionDir;
    try {
      versionDir = SafePaths.resolveInside(cacheRoot, version.name() + "/" + version.version() + "-" + sha);
    } catch (IllegalArgumentException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH, e.getMessage());
    }
    try {
      Files.createDirectories(versionDir);
      removeStale(versionDir);
      Path staging = Files.createTempDirectory(versionDir, DOWNLOAD_PREFIX);
      try {
        registry.download(version, staging);
      } catch (RegistryException e) {
        deleteTree(staging);
        throw new ModelRefusedException(version.name(), version.version(),
            e.isNotFound() ? Reason.MISSING_ARTIFACT : Reason.REGISTRY_UNAVAILABLE, e.getMessage(), e);
      } catch (RuntimeException e) {
        deleteTree(staging);
        throw e;
      }
      Path copy = versionDir.resolve(COPY_PREFIX + staging.getFileName().toString().substring(DOWNLOAD_PREFIX.length()));
      Files.move(staging, copy, StandardCopyOption.ATOMIC_MOVE);
      return copy;
    } catch (IOException | UncheckedIOException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT,
          "cannot stage artifact in " + cacheRoot + ": " + e.getMessage(), e);
    }
  }

  static final String DOWNLOAD_PREFIX = ".download-";
  static final String COPY_PREFIX = "copy-";
  static final Duration STALE_COPY = Duration.ofHours(1);
  static final Duration STALE_DOWNLOAD = Duration.ofDays(1);

  /**
   * Removes what earlier fetches left in a version's directory: copies older than {@link #STALE_COPY},
   * downloads untouched for {@link #STALE_DOWNLOAD}, and files of the layout before copies (the
   * artifact straight in the version's directory). Another process may be removing the same entries:
   * what it removed first is skipped.
   */
  static void removeStale(Path versionDir) throws IOException {
    Instant now = Instant.now();
    try (Stream<Path> entries = Files.list(versionDir)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        Duration limit = name.startsWith(DOWNLOAD_PREFIX) ? STALE_DOWNLOAD : STALE_COPY;
        try {
          if (Files.getLastModifiedTime(entry).toInstant().isBefore(now.minus(limit))) {
            deleteTree(entry);
          }
        } catch (NoSuchFileException | UncheckedIOException e) {
          // removed by another fetch meanwhile
        }
      }
    }
  }

  static void verifyChecksum(ModelVersion version, Path artifact) {
    if (version.sha256() == null || version.sha256().isBlank()) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_CHECKSUM,
          "the registry version has no '" + ModelVersion.SHA256_TAG + "' tag; unverified artifacts are not served");
    }
    String actual = ArtifactDigest.sha256(artifact);
    if (!actual.equalsIgnoreCase(version.sha256().trim())) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.CHECKSUM_MISMATCH,
          "artifact sha256 is " + actual + " but the registry tag says " + version.sha256().trim());
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
