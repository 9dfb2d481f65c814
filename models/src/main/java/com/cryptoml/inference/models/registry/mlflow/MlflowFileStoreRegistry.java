package com.cryptoml.inference.models.registry.mlflow;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.artifacts.SafePaths;
import com.cryptoml.inference.models.artifacts.StoreFiles;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.RegistryException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
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
 * <p>{@code root} may be the directory holding {@code mlruns/} or {@code mlruns/} itself: a local
 * path, a {@code file:} URI, or a URI of any scheme a {@link StoreFiles} provider serves ({@code
 * gs://bucket/store}). A root that is missing, is a file or holds no registered model is refused when
 * the registry is opened. Nothing outside the store is read and no symbolic link is followed
 * ({@link StoreFiles}). Stores move between machines, so
 * sources are resolved against the store's own root: {@code mlflow-artifacts:/P} to
 * {@code mlartifacts/P}, and {@code file:///any/where/mlruns/P} (also Windows paths) to
 * {@code mlruns/P}. Sources outside the store, with {@code ..} or with another scheme are refused.
 * A version whose {@code meta.yaml} cannot be read is refused on its own ({@link
 * RegistryException#isInvalid()}); the model's other versions still resolve.
 */
public final class MlflowFileStoreRegistry implements ModelRegistry {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String DELETED_STAGE = "Deleted_Internal";

  private final StoreFiles files;
  private final String storeRoot;
  private final String mlruns;

  public MlflowFileStoreRegistry(String root) {
    this.files = StoreFiles.at(root.trim());
    String normalized = files.root();
    if (normalized.endsWith("/") && normalized.length() > 1) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    if (normalized.endsWith("/mlruns")) {
      this.mlruns = normalized;
      this.storeRoot = normalized.substring(0, normalized.length() - "/mlruns".length());
    } else {
      this.storeRoot = normalized;
      this.mlruns = StoreFiles.join(normalized, "mlruns");
    }
    requireStore(root);
  }

  /** A missing root, a file, or a store without registered models is a configuration error, not an empty registry. */
  private void requireStore(String given) {
    if (StoreFiles.scheme(storeRoot) == null) {
      Path dir = Path.of(storeRoot);
      if (!java.nio.file.Files.exists(dir)) {
        throw RegistryException.unavailable("registry root " + given + " does not exist (" + dir + ")", null);
      }
      if (!java.nio.file.Files.isDirectory(dir)) {
        throw RegistryException.unavailable("registry root " + given + " is a file, not an MLflow store directory", null);
      }
    }
    if (listModels().isEmpty()) {
      throw RegistryException.unavailable("registry root " + given + " holds no registered model (expected "
          + StoreFiles.join(mlruns, "models", "<name>", "meta.yaml") + ")", null);
    }
  }

  @Override
  public String describe() {
    return "mlflow-filestore:" + storeRoot;
  }

  @Override
  public List<String> listModels() {
    List<String> names = new ArrayList<>();
    for (String meta : match(glob(mlruns, "models") + "/*/meta.yaml")) {
      String dir = meta.substring(0, meta.length() - "/meta.yaml".length());
      names.add(dir.substring(dir.lastIndexOf('/') + 1));
    }
    return names;
  }

  @Override
  public List<ModelVersion> listVersions(String name) {
    requireModel(name);
    List<ModelVersion> versions = new ArrayList<>();
    for (String meta : match(glob(modelDir(name)) + "/version-*/meta.yaml")) {
      String dir = meta.substring(0, meta.length() - "/meta.yaml".length());
      String version = dir.substring(dir.lastIndexOf("/version-") + "/version-".length());
      try {
        ModelVersion v = readVersion(name, version);
        if (v != null) {
          versions.add(v);
        }
      } catch (RegistryException e) {
        if (!e.isInvalid()) {
          throw e;
        }
        // That version is refused when named; it cannot be the latest or in a stage.
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
      int copied = files.copyTree(dir, target);
      if (copied == 0) {
        throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT,
            "artifact directory " + dir + " is missing or empty");
      }
    } catch (StoreFiles.UnsafePathException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH, e.getMessage(), e);
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
      return inside(StoreFiles.join(storeRoot, "mlartifacts"), stripLeadingSlashes(uri.substring("mlflow-artifacts:".length())), version);
    }
    if (uri.startsWith("runs:/")) {
      String rest = uri.substring("runs:/".length());
      int slash = rest.indexOf('/');
      String runId = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "" : rest.substring(slash + 1);
      List<String> runs = SafePaths.isSafeRelative(runId) && !runId.contains("/")
          ? match(glob(mlruns) + "/*/" + StoreFiles.escapeGlob(runId) + "/meta.yaml") : List.of();
      if (runs.isEmpty() || !SafePaths.isSafeRelative(runId)) {
        throw new ModelRefusedException(model, v, Reason.MISSING_ARTIFACT, "run " + runId + " of source " + uri + " is not in " + describe());
      }
      String runDir = runs.get(0).substring(0, runs.get(0).length() - "/meta.yaml".length());
      return path.isEmpty() ? StoreFiles.join(runDir, "artifacts") : inside(StoreFiles.join(runDir, "artifacts"), path, version);
    }
    String path = uri;
    if (uri.startsWith("file:")) {
      path = stripLeadingSlashes(uri.substring("file:".length()));
      path = java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
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
    return StoreFiles.join(root, rel);
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
    return StoreFiles.join(mlruns, "models", name);
  }

  private static String glob(String dir, String... segments) {
    return StoreFiles.escapeGlob(StoreFiles.join(dir, segments));
  }

  private List<String> match(String glob) {
    try {
      return files.match(glob);
    } catch (IOException e) {
      throw RegistryException.unavailable("cannot list " + glob + ": " + e.getMessage(), e);
    }
  }

  private void requireModel(String name) {
    if (match(glob(modelDir(name), "meta.yaml")).isEmpty()) {
      throw RegistryException.notFound("model " + name + " is not registered in " + describe());
    }
  }

  /** Alias name to version, from the aliases/ directory and the meta.yaml mapping MLflow also writes. */
  private Map<String, String> aliases(String name) {
    requireModel(name);
    Map<String, String> aliases = new LinkedHashMap<>();
    JsonNode meta = readYaml(StoreFiles.join(modelDir(name), "meta.yaml"));
    JsonNode fromMeta = meta.get("aliases");
    if (fromMeta != null && fromMeta.isObject()) {
      fromMeta.fields().forEachRemaining(e -> aliases.put(e.getKey(), e.getValue().asText()));
    }
    for (String file : match(glob(modelDir(name), "aliases") + "/*")) {
      aliases.put(file.substring(file.lastIndexOf('/') + 1), readText(file).trim());
    }
    return aliases;
  }

  private ModelVersion readVersion(String name, String version) {
    if (!version.matches("[0-9]{1,10}")) {
      return null;
    }
    String dir = StoreFiles.join(modelDir(name), "version-" + version);
    String metaFile = StoreFiles.join(dir, "meta.yaml");
    if (match(StoreFiles.escapeGlob(metaFile)).isEmpty()) {
      return null;
    }
    JsonNode meta;
    try {
      meta = readYaml(metaFile);
    } catch (RegistryException e) {
      throw RegistryException.invalid("version " + version + " of model " + name + " cannot be read: " + e.getMessage(), e);
    }
    if (DELETED_STAGE.equals(meta.path("current_stage").asText())) {
      return null;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String file : match(StoreFiles.escapeGlob(StoreFiles.join(dir, "tags")) + "/*")) {
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
    String stage = meta.hasNonNull("current_stage") ? meta.get("current_stage").asText() : ModelVersion.NO_STAGE;
    return ModelVersion.of(name, version, aliases, meta.path("status").asText(ModelVersion.READY), stage, location, tags);
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

  private String readText(String file) {
    try {
      return files.readString(file);
    } catch (IOException e) {
      throw RegistryException.unavailable("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
