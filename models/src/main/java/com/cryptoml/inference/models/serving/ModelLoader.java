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
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prepares one registry version for serving, in this order: download the artifact into the local
 * cache, read the MLmodel file (TensorFlow flavor only), verify the artifact's SHA-256 against the
 * registry's {@code sha256} tag, validate the metadata, load the SavedModel, check its signature,
 * warm it up. Any failure is a {@link ModelRefusedException} naming model, version and reason.
 */
public final class ModelLoader {
  private final ModelRegistry registry;
  private final LoadOptions options;

  public ModelLoader(ModelRegistry registry, LoadOptions options) {
    this.registry = registry;
    this.options = options;
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
      throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT,
          "no saved_model.pb under " + mlModel.savedModelDir() + "/ in the artifact");
    }
    String signature = metadata.signatureDefKey().orElse(mlModel.signatureDefKey());
    return new PreparedModel(version, metadata, artifact, savedModel, mlModel.tags(), signature);
  }

  /** Prepares, then loads into TensorFlow, checks the signature and warms up. */
  public ServingModel load(ModelVersion version) {
    long start = System.nanoTime();
    PreparedModel p = prepare(version);
    return SavedModelLoader.load(version, p.metadata(), p.artifactDir(), p.savedModelDir(), p.tags(), p.signatureKey(),
        options, start);
  }

  /** Downloads into a fresh staging directory, then moves it into place. */
  Path fetch(ModelVersion version) {
    Path cacheRoot = Paths.get(options.artifactCacheDir());
    String sha = version.sha256() == null ? "unverified" : version.sha256().substring(0, Math.min(16, version.sha256().length()));
    Path target;
    try {
      target = SafePaths.resolveInside(cacheRoot, version.name() + "/" + version.version() + "-" + sha);
    } catch (IllegalArgumentException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH, e.getMessage());
    }
    try {
      Files.createDirectories(target.getParent());
      Path staging = Files.createTempDirectory(target.getParent(), ".download-");
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
      // Every load re-downloads and re-verifies: a cached copy is never trusted blindly.
      deleteTree(target);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT,
          "cannot stage artifact in " + cacheRoot + ": " + e.getMessage(), e);
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
    if (!Files.exists(dir)) {
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
