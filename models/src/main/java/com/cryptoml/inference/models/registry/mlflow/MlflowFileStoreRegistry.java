package com.cryptoml.inference.models.registry.mlflow;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.artifacts.BeamFiles;
import com.cryptoml.inference.models.artifacts.SafePaths;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.RegistryException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the model registry of an MLflow FileStore, the layout MLflow itself writes:
 *
 * <pre>
 * root/mlruns/models/NAME/meta.yaml
 * root/mlruns/models/NAME/aliases/ALIAS          (content: the version number)
 * root/mlruns/models/NAME/version-N/meta.yaml    (source, storage_location, status, ...)
 * root/mlruns/models/NAME/version-N/tags/KEY     (content: the tag value)
 * root/mlruns/EXP/RUN/artifacts/...              (artifacts of file-backed runs)
 * root/mlartifacts/EXP/RUN/artifacts/...         (artifacts served by mlflow server)
 * </pre>
 *
 * <p>{@code root} may be the directory holding {@code mlruns/} or {@code mlruns/} itself, a local
 * path or any Beam file system URI ({@code gs://bucket/store}). Stores move between machines, so
 * sources are resolved against the store's own root: {@code mlflow-artifacts:/P} to
 * {@code mlartifacts/P}, and {@code file:///any/where/mlruns/P} (also Windows paths) to
 * {@code mlruns/P}. Sources outside the store, with {@code ..} or with another scheme are refused.
 */
public final class MlflowFileStoreRegistry implements ModelRegistry {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String DELETED_STAGE = "Deleted_Internal";

  private final String storeRoot;
  private final String mlruns;

  public MlflowFileStoreRegistry(String root) {
    String normalized = normalizeRoot(root);
    if (normalized.endsWith("/mlruns")) {
      this.mlruns = normalized;
      this.storeRoot = normalized.substring(0, normalized.length() - "/mlruns".length());
    } else {
      this.storeRoot = normalized;
      this.mlruns = BeamFiles.join(normalized, "mlruns");
    }
  }

  private static String normalizeRoot(String root) {
    String r = root.trim();
    if (r.startsWith("file:")) {
      r = Paths.get(URI.create(r)).toString();
    }
    if (!r.contains("://")) {
      r = Paths.get(r).toAbsolutePath().normalize().toString();
    }
    return r.endsWith("/") && r.length() > 1 ? r.substring(0, r.length() - 1) : r;
  }

  @Override
  public String describe() {
    return "mlflow-filestore:" + storeRoot;
  }

  @Override
  public List<String> listModels() {
    List<String> names = new ArrayList<>();
    for (String meta : BeamFiles.match(glob(mlruns, "models") + "/*/meta.yaml")) {
      String dir = meta.substring(0, meta.length() - "/meta.yaml".length());
      names.add(dir.substring(dir.lastIndexOf('/') + 1));
    }
    return names;
  }

  @Override
  public List<ModelVersion> listVersions(String name) {
    requireModel(name);
    List<ModelVersion> versions = new ArrayList<>();
    for (String meta : BeamFiles.match(glob(modelDir(name)) + "/version-*/meta.yaml")) {
      String dir = meta.substring(0, meta.length() - "/meta.yaml".length());
      String version = dir.substring(dir.lastIndexOf("/version-") + "/version-".length());
      ModelVersion v = readVersion(name, version);
      if (v != null) {
        versions.add(v);
      }
    }
    versions.sort(Comparator.comparingLong(v -> Long.parseLong(v.version())));
    return versions;
  }

  @Override
  public ModelVersion getVersion(String name, String version) {
    requireModel(name);
    ModelVersion v = readVersion(name, version);
    if (v == null) {
      throw RegistryException.notFound("model " + name + " has no version " + version + " in " + describe());
    }
    return v;
  }

  @Override
  public ModelVersion getByAlias(String name, String alias) {
    Map<String, String> aliases = aliases(name);
    String version = aliases.get(alias);
    if (version == null) {
      throw RegistryException.notFound("model " + name + " has no alias '" + alias + "' in " + describe() + " (aliases: " + aliases.keySet() + ")");
    }
    return getVersion(name, version);
  }

  @Override
  public void download(ModelVersion version, Path target) {
    String dir = resolveArtifactDir(version);
    try {
      int copied = BeamFiles.copyTree(dir, target);
      if (copied == 0) {
        throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT,
            "artifact directory " + dir + " is missing or empty");
      }
    } catch (IOException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT,
          "cannot copy artifact " + dir + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH, e.getMessage(), e);
    }
  }

  /** Where the version's MLflow model directory lives in this store. */
  public String resolveArtifactDir(ModelVersion version) {
    String uri = version.artifactUri();
    String model = version.name();
    String v = version.version();
    if (uri == null || uri.isBlank()) {
      throw new ModelRefusedException(model, v, Reason.MISSING_ARTIFACT, "version has neither storage_location nor source");
    }
    if (uri.startsWith("mlflow-artifacts:")) {
      return inside(BeamFiles.join(storeRoot, "mlartifacts"), stripLeadingSlashes(uri.substring("mlflow-artifacts:".length())), version);
    }
    if (uri.startsWith("runs:/")) {
      String rest = uri.substring("runs:/".length());
      int slash = rest.indexOf('/');
      String runId = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "" : rest.substring(slash + 1);
      List<String> runs = BeamFiles.match(glob(mlruns) + "/*/" + BeamFiles.escapeGlob(runId) + "/meta.yaml");
      if (runs.isEmpty() || !SafePaths.isSafeRelative(runId)) {
        throw new ModelRefusedException(model, v, Reason.MISSING_ARTIFACT, "run " + runId + " of source " + uri + " is not in " + describe());
      }
      String runDir = runs.get(0).substring(0, runs.get(0).length() - "/meta.yaml".length());
      return path.isEmpty() ? BeamFiles.join(runDir, "artifacts") : inside(BeamFiles.join(runDir, "artifacts"), path, version);
    }
    String path = uri;
    if (uri.startsWith("file:")) {
      path = stripLeadingSlashes(uri.substring("file:".length()));
      path = path.matches("^[A-Za-z]:/.*") ? path : "/" + path; // keep a Windows drive as is
    } else if (uri.matches("^[A-Za-z][A-Za-z0-9+.\\-]*://.*") || uri.matches("^[A-Za-z][A-Za-z0-9+.\\-]+:.*")) {
      // gs://, s3://, http:// ...: only inside this store
      if (!uri.startsWith(storeRoot + "/")) {
        throw new ModelRefusedException(model, v, Reason.UNSAFE_PATH, "source " + uri + " is outside the registry store " + storeRoot);
      }
      return inside(storeRoot, uri.substring(storeRoot.length() + 1), version);
    }
    if (path.contains("\\")) {
      path = path.replace('\\', '/');
    }
    if (!path.startsWith("/") && !path.matches("^[A-Za-z]:/.*")) {
      return inside(storeRoot, path, version); // relative to the store
    }
    if (!storeRoot.contains("://") && path.startsWith(storeRoot + "/")) {
      return inside(storeRoot, path.substring(storeRoot.length() + 1), version);
    }
    // Written on another machine: re-anchor at the last mlruns/ segment.
    int idx = path.lastIndexOf("/mlruns/");
    if (idx < 0) {
      throw new ModelRefusedException(model, v, Reason.UNSAFE_PATH, "source " + uri + " is outside the registry store " + storeRoot + " and has no mlruns/ segment to re-anchor");
    }
    return inside(mlruns, path.substring(idx + "/mlruns/".length()), version);
  }

  private static String inside(String root, String relative, ModelVersion version) {
    String rel = relative.endsWith("/") ? relative.substring(0, relative.length() - 1) : relative;
    if (!SafePaths.isSafeRelative(rel)) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH,
          "artifact path '" + version.artifactUri() + "' is not a safe path inside the store");
    }
    return BeamFiles.join(root, rel);
  }

  private static String stripLeadingSlashes(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '/') {
      i++;
    }
    return s.substring(i);
  }

  private String modelDir(String name) {
    if (!SafePaths.isSafeRelative(name) || name.contains("/")) {
      throw RegistryException.notFound("invalid model name '" + name + "'");
    }
    return BeamFiles.join(mlruns, "models", name);
  }

  private static String glob(String dir, String... segments) {
    return BeamFiles.escapeGlob(BeamFiles.join(dir, segments));
  }

  private void requireModel(String name) {
    if (BeamFiles.match(glob(modelDir(name), "meta.yaml")).isEmpty()) {
      throw RegistryException.notFound("model " + name + " is not registered in " + describe());
    }
  }

  /** Alias name to version, from the aliases/ directory and the meta.yaml mapping MLflow also writes. */
  private Map<String, String> aliases(String name) {
    requireModel(name);
    Map<String, String> aliases = new LinkedHashMap<>();
    JsonNode meta = readYaml(BeamFiles.join(modelDir(name), "meta.yaml"));
    JsonNode fromMeta = meta.get("aliases");
    if (fromMeta != null && fromMeta.isObject()) {
      fromMeta.fields().forEachRemaining(e -> aliases.put(e.getKey(), e.getValue().asText()));
    }
    for (String file : BeamFiles.match(glob(modelDir(name), "aliases") + "/*")) {
      aliases.put(file.substring(file.lastIndexOf('/') + 1), readText(file).trim());
    }
    return aliases;
  }

  private ModelVersion readVersion(String name, String version) {
    if (!version.matches("[0-9]{1,10}")) {
      return null;
    }
    String dir = BeamFiles.join(modelDir(name), "version-" + version);
    String metaFile = BeamFiles.join(dir, "meta.yaml");
    if (BeamFiles.match(BeamFiles.escapeGlob(metaFile)).isEmpty()) {
      return null;
    }
    JsonNode meta = readYaml(metaFile);
    if (DELETED_STAGE.equals(meta.path("current_stage").asText())) {
      return null;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String file : BeamFiles.match(BeamFiles.escapeGlob(BeamFiles.join(dir, "tags")) + "/*")) {
      tags.put(file.substring(file.lastIndexOf('/') + 1), readText(file));
    }
    List<String> aliases = new ArrayList<>();
    aliases(name).forEach((alias, v) -> {
      if (v.equals(version)) {
        aliases.add(alias);
      }
    });
    String location = meta.hasNonNull("storage_location") && !meta.get("storage_location").asText().isBlank()
        ? meta.get("storage_location").asText()
        : meta.path("source").asText(null);
    return ModelVersion.of(name, version, aliases, meta.path("status").asText(ModelVersion.READY), location, tags);
  }

  private JsonNode readYaml(String file) {
    try {
      JsonNode node = YAML.readTree(readText(file));
      if (node == null || !node.isObject()) {
        throw RegistryException.unavailable(file + " is not a YAML mapping", null);
      }
      return node;
    } catch (IOException e) {
      throw RegistryException.unavailable("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  private static String readText(String file) {
    try {
      return BeamFiles.readString(file);
    } catch (IOException e) {
      throw RegistryException.unavailable("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
