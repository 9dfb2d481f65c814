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

  /**
   * The latest version in an MLflow stage ({@code Staging}, {@code Production}, {@code Archived},
   * {@code None}; any case), as MLflow's {@code get-latest-versions} answers it.
   */
  default ModelVersion latestInStage(String name, String stage) {
    String wanted = ModelRef.stage(stage).orElse(stage);
    return listVersions(name).stream()
        .filter(v -> v.stage().equalsIgnoreCase(wanted))
        .max(Comparator.comparingLong(v -> Long.parseLong(v.version())))
        .orElseThrow(() -> RegistryException.notFound("model " + name + " has no version in stage " + wanted + " in " + describe()));
  }

  /**
   * Resolves a reference to the version it names right now. An alias that does not exist but names a
   * stage other than None ({@code name@Staging}) selects the latest version in that stage, as many
   * registries still promote by stage.
   */
  default ModelVersion resolve(ModelRef ref) {
    return switch (ref.kind()) {
      case ALIAS -> {
        try {
          yield getByAlias(ref.name(), ref.value());
        } catch (RegistryException e) {
          if (e.isNotFound() && ModelRef.stage(ref.value()).filter(st -> !st.equals(ModelVersion.NO_STAGE)).isPresent()) {
            yield latestInStage(ref.name(), ref.value());
          }
          throw e;
        }
      }
      case VERSION -> getVersion(ref.name(), ref.value());
      case STAGE -> latestInStage(ref.name(), ref.value());
      case LATEST -> latestReady(ref.name());
    };
  }

  @Override
  default void close() {}
}
