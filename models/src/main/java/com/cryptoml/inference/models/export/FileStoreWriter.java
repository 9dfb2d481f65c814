package com.cryptoml.inference.models.export;

import com.cryptoml.inference.models.artifacts.ArtifactDigest;
import com.cryptoml.inference.models.registry.ModelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an MLflow FileStore (runs and model registry) the way MLflow 2.x lays it out on disk, so
 * that {@code mlflow ui --backend-store-uri} and this platform's registry reader both read it.
 * Used by the test-data generator and by tests that need a registry with particular contents.
 *
 * <p>Run artifacts go to {@code mlruns/EXP/RUN/artifacts/NAME}; the version's {@code source} is the
 * absolute {@code file://} URI under {@code sourcePrefix} (the machine the store was "written on"),
 * which readers re-anchor at {@code mlruns/}.
 */
public final class FileStoreWriter {
  private static final long CREATED = 1_717_200_000_000L; // fixed, so regenerated stores are identical

  private final Path root;
  private final String experimentId;
  private final String sourcePrefix;

  /**
   * @param root directory that will hold {@code mlruns/}
   * @param sourcePrefix absolute path written into sources in place of {@code root}, e.g.
   *     {@code /srv/mlflow}; null writes this machine's real path
   */
  public FileStoreWriter(Path root, String experimentId, String sourcePrefix) throws IOException {
    this.root = root;
    this.experimentId = experimentId;
    this.sourcePrefix = sourcePrefix;
    Path exp = root.resolve("mlruns").resolve(experimentId);
    Files.createDirectories(exp);
    Files.createDirectories(root.resolve("mlruns").resolve("models"));
    Path meta = exp.resolve("meta.yaml");
    if (!Files.exists(meta)) {
      Files.writeString(meta, "artifact_location: " + source("mlruns/" + experimentId) + "\n"
          + "creation_time: " + CREATED + "\nexperiment_id: '" + experimentId + "'\n"
          + "last_update_time: " + CREATED + "\nlifecycle_stage: active\nname: inference-models\n");
    }
  }

  public Path root() {
    return root;
  }

  /** Creates the run (meta.yaml) and returns the directory to write the model artifact into. */
  public Path newModelArtifactDir(String runId, String artifactPath) throws IOException {
    Path run = root.resolve("mlruns").resolve(experimentId).resolve(runId);
    Files.createDirectories(run.resolve("artifacts"));
    Files.writeString(run.resolve("meta.yaml"), "artifact_uri: " + source("mlruns/" + experimentId + "/" + runId + "/artifacts") + "\n"
        + "end_time: " + CREATED + "\nentry_point_name: ''\nexperiment_id: '" + experimentId + "'\n"
        + "lifecycle_stage: active\nrun_id: " + runId + "\nrun_name: " + runId + "\nrun_uuid: " + runId + "\n"
        + "source_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: " + CREATED + "\nstatus: 3\ntags: []\nuser_id: generator\n");
    Path dir = run.resolve("artifacts").resolve(artifactPath);
    Files.createDirectories(dir);
    return dir;
  }

  /**
   * Registers {@code artifactDir} (written under a run) as version {@code version} of {@code name},
   * with tags {@code version_label} and {@code sha256} (computed here) plus {@code extraTags}.
   */
  public void registerVersion(String name, int version, String runId, Path artifactDir, String versionLabel,
      Map<String, String> extraTags) throws IOException {
    Path model = root.resolve("mlruns").resolve("models").resolve(name);
    Files.createDirectories(model);
    if (!Files.exists(model.resolve("meta.yaml"))) {
      Files.writeString(model.resolve("meta.yaml"), "aliases: {}\ncreation_timestamp: " + CREATED + "\ndescription: ''\n"
          + "last_updated_timestamp: " + CREATED + "\nname: " + name + "\n");
    }
    Path v = model.resolve("version-" + version);
    Files.createDirectories(v.resolve("tags"));
    String relative = root.relativize(artifactDir).toString().replace('\\', '/');
    Files.writeString(v.resolve("meta.yaml"), "aliases: []\ncreation_timestamp: " + (CREATED + version) + "\n"
        + "current_stage: None\ndescription: ''\nlast_updated_timestamp: " + (CREATED + version) + "\nname: " + name + "\n"
        + "run_id: " + runId + "\nrun_link: ''\nsource: " + source(relative) + "\nstatus: READY\nstatus_message: null\n"
        + "storage_location: " + source(relative) + "\nuser_id: null\nversion: " + version + "\n");
    Map<String, String> tags = new LinkedHashMap<>(extraTags);
    tags.put(ModelVersion.VERSION_LABEL_TAG, versionLabel);
    tags.put(ModelVersion.SHA256_TAG, ArtifactDigest.sha256(artifactDir));
    for (Map.Entry<String, String> t : tags.entrySet()) {
      setVersionTag(name, version, t.getKey(), t.getValue());
    }
  }

  public void setVersionTag(String name, int version, String key, String value) throws IOException {
    Path tags = root.resolve("mlruns/models").resolve(name).resolve("version-" + version).resolve("tags");
    Files.createDirectories(tags);
    Files.writeString(tags.resolve(key), value);
  }

  /** Points {@code alias} at {@code version}, as {@code MlflowClient.set_registered_model_alias} does. */
  public void setAlias(String name, String alias, int version) throws IOException {
    Path aliases = root.resolve("mlruns/models").resolve(name).resolve("aliases");
    Files.createDirectories(aliases);
    Files.writeString(aliases.resolve(alias), String.valueOf(version));
  }

  private String source(String relative) {
    String prefix = sourcePrefix != null ? sourcePrefix : root.toAbsolutePath().normalize().toString();
    return "file://" + (prefix.startsWith("/") ? "" : "/") + prefix + "/" + relative;
  }
}
