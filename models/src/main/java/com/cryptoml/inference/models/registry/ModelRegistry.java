package com.cryptoml.inference.models.registry;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A model registry: MLflow (FileStore layout or tracking server) or Vertex AI. Implementations are
 * thread-safe. Errors are {@link RegistryException}s; {@link RegistryException#isNotFound()} tells a
 * missing model, version or alias from an unreachable registry.
 */
public interface ModelRegistry extends AutoCloseable {

  /** Where this registry is, for logs; never contains credentials. */
  String describe();

  /** Names of all registered models. */
  List<String> listModels();

  /** All versions of a model, in ascending version order. */
  List<ModelVersion> listVersions(String name);

  ModelVersion getVersion(String name, String version);

  ModelVersion getByAlias(String name, String alias);

  /** Copies the version's artifact (the MLflow model directory) into {@code target}, an empty directory. */
  void download(ModelVersion version, Path target);

  /** Highest READY version. */
  default ModelVersion latestReady(String name) {
    return listVersions(name).stream()
        .filter(ModelVersion::isReady)
        .max(Comparator.comparingLong(v -> Long.parseLong(v.version())))
        .orElseThrow(() -> RegistryException.notFound("model " + name + " has no READY version in " + describe()));
  }

  /** Resolves a reference to the version it names right now. */
  default ModelVersion resolve(ModelRef ref) {
    switch (ref.kind()) {
      case ALIAS:
        return getByAlias(ref.name(), ref.value());
      case VERSION:
        return getVersion(ref.name(), ref.value());
      default:
        return latestReady(ref.name());
    }
  }

  @Override
  default void close() {}
}
