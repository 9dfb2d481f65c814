package com.cryptoml.inference.models.registry.mlflow;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.artifacts.SafePaths;
import com.cryptoml.inference.models.artifacts.StoreFiles;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.RegistryException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Talks to an MLflow tracking server's REST API (2.0), exactly as MLflow documents it:
 * {@code registered-models/get}, {@code registered-models/search}, {@code model-versions/get},
 * {@code registered-models/alias}, {@code registered-models/get-latest-versions} (stages),
 * {@code model-versions/search}, {@code model-versions/get-download-uri},
 * and artifacts through the proxied {@code /api/2.0/mlflow-artifacts/artifacts} endpoint (whose
 * listing returns base names, so directories are walked recursively).
 *
 * <p>Credentials come from the environment as MLflow's own clients read them: {@code
 * MLFLOW_TRACKING_TOKEN} (bearer) or {@code MLFLOW_TRACKING_USERNAME} / {@code
 * MLFLOW_TRACKING_PASSWORD} (basic). They are sent, never logged and never part of a message.
 */
public final class MlflowRestRegistry implements ModelRegistry {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE_SIZE = 200;
  /** Refuse a listing deeper than this: a sane model has a handful of directory levels. */
  private static final int MAX_DEPTH = 16;

  private final URI base;
  private final HttpClient http;
  private final String authorization;
  private final Duration timeout;

  public MlflowRestRegistry(URI trackingUri, Map<String, String> environment, Duration timeout) {
    String s = trackingUri.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.authorization = authorization(environment);
  }

  /** A registry for {@code trackingUri} with credentials from this process's environment. */
  public static MlflowRestRegistry fromEnvironment(URI trackingUri) {
    return new MlflowRestRegistry(trackingUri, System.getenv(), Duration.ofSeconds(10));
  }

  private static String authorization(Map<String, String> env) {
    String token = env.get("MLFLOW_TRACKING_TOKEN");
    if (token != null && !token.isBlank()) {
      return "Bearer " + token.trim();
    }
    String user = env.get("MLFLOW_TRACKING_USERNAME");
    String password = env.get("MLFLOW_TRACKING_PASSWORD");
    if (user != null && password != null) {
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  @Override
  public String describe() {
    return "mlflow-server:" + base.getScheme() + "://" + base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "")
        + (authorization == null ? "" : " (authenticated)");
  }

  @Override
  public List<String> listModels() {
    List<String> names = new ArrayList<>();
    String pageToken = null;
    do {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("max_results", String.valueOf(PAGE_SIZE));
      if (pageToken != null) {
        q.put("page_token", pageToken);
      }
      JsonNode page = get("api/2.0/mlflow/registered-models/search", q);
      page.path("registered_models").forEach(m -> names.add(m.path("name").asText()));
      pageToken = page.path("next_page_token").asText(null);
    } while (pageToken != null && !pageToken.isEmpty());
    return names;
  }

  @Override
  public List<ModelVersion> listVersions(String name) {
    get("api/2.0/mlflow/registered-models/get", Map.of("name", name)); // 404 when the model is unknown
    List<ModelVersion> versions = new ArrayList<>();
    String pageToken = null;
    do {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("filter", "name='" + name.replace("'", "\\'") + "'");
      q.put("max_results", String.valueOf(PAGE_SIZE));
      if (pageToken != null) {
        q.put("page_token", pageToken);
      }
      JsonNode page = get("api/2.0/mlflow/model-versions/search", q);
      page.path("model_versions").forEach(v -> versions.add(toVersion(v)));
      pageToken = page.path("next_page_token").asText(null);
    } while (pageToken != null && !pageToken.isEmpty());
    versions.sort(Comparator.comparingLong(v -> Long.parseLong(v.version())));
    return versions;
  }

  @Override
  public ModelVersion getVersion(String name, String version) {
    return toVersion(get("api/2.0/mlflow/model-versions/get", Map.of("name", name, "version", version)).path("model_version"));
  }

  @Override
  public ModelVersion getByAlias(String name, String alias) {
    return toVersion(get("api/2.0/mlflow/registered-models/alias", Map.of("name", name, "alias", alias)).path("model_version"));
  }

  /** MLflow's {@code get-latest-versions} for one stage: the latest version in it. */
  @Override
  public ModelVersion latestInStage(String name, String stage) {
    String wanted = ModelRef.stage(stage).orElse(stage);
    String body = "{\"name\":" + quote(name) + ",\"stages\":[" + quote(wanted) + "]}";
    JsonNode answer = post("api/2.0/mlflow/registered-models/get-latest-versions", body);
    ModelVersion latest = null;
    for (JsonNode v : answer.path("model_versions")) {
      ModelVersion mv = toVersion(v);
      if (mv.stage().equalsIgnoreCase(wanted) && (latest == null || Long.parseLong(mv.version()) > Long.parseLong(latest.version()))) {
        latest = mv;
      }
    }
    if (latest == null) {
      throw RegistryException.notFound("model " + name + " has no version in stage " + wanted + " in " + describe());
    }
    return latest;
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The artifact URI the server hands out for a version ({@code get-download-uri}). */
  public String downloadUri(ModelVersion version) {
    return get("api/2.0/mlflow/model-versions/get-download-uri", Map.of("name", version.name(), "version", version.version()))
        .path("artifact_uri").asText();
  }

  @Override
  public void download(ModelVersion version, Path target) {
    String uri = downloadUri(version);
    try {
      if (uri.startsWith("mlflow-artifacts:")) {
        String path = uri.substring("mlflow-artifacts:".length());
        if (path.startsWith("//")) { // mlflow-artifacts://host:port/path: served by this server
          int slash = path.indexOf('/', 2);
          path = slash < 0 ? "" : path.substring(slash);
        }
        path = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (!SafePaths.isSafeRelative(path)) {
          throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH, "artifact URI " + uri + " is not a safe path");
        }
        int files = downloadDirectory(path, target, 0);
        if (files == 0) {
          throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT, "artifact " + uri + " is empty or missing");
        }
      } else if (uri.startsWith("gs://")) {
        if (StoreFiles.at(uri).copyTree(uri, target) == 0) {
          throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT, "artifact " + uri + " is empty or missing");
        }
      } else {
        throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH,
            "artifact URI scheme of " + uri + " is not served through this registry (mlflow-artifacts:/ or gs://)");
      }
    } catch (IOException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT, "cannot download " + uri + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH, e.getMessage(), e);
    }
  }

  private int downloadDirectory(String path, Path target, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("artifact tree deeper than " + MAX_DEPTH + " levels under " + path);
    }
    JsonNode listing = get("api/2.0/mlflow-artifacts/artifacts", Map.of("path", path));
    int count = 0;
    for (JsonNode file : listing.path("files")) {
      String baseName = file.path("path").asText();
      // The listing returns base names; take the last segment in case a server returns full paths.
      String name = baseName.contains("/") ? baseName.substring(baseName.lastIndexOf('/') + 1) : baseName;
      if (!SafePaths.isSafeRelative(name) || name.equals(".")) {
        throw new IllegalArgumentException("artifact listing of " + path + " has unsafe entry '" + baseName + "'");
      }
      String child = path.isEmpty() ? name : path + "/" + name;
      if (file.path("is_dir").asBoolean(false)) {
        count += downloadDirectory(child, target.resolve(name), depth + 1);
      } else {
        downloadFile(child, SafePaths.resolveInside(target, name));
        count++;
      }
    }
    return count;
  }

  private void downloadFile(String path, Path target) throws IOException {
    HttpRequest request = request(base.resolve("api/2.0/mlflow-artifacts/artifacts/" + encodePath(path))).build();
    HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw error(response.statusCode(), new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8), "download " + path);
      }
      Files.createDirectories(target.getParent());
      Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String encodePath(String path) {
    StringBuilder sb = new StringBuilder();
    for (String segment : path.split("/")) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  private JsonNode get(String endpoint, Map<String, String> query) {
    StringBuilder uri = new StringBuilder(endpoint);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      uri.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    HttpResponse<String> response = send(request(base.resolve(uri.toString())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw error(response.statusCode(), response.body(), endpoint + " " + query);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw RegistryException.unavailable(describe() + " answered " + endpoint + " with invalid JSON", e);
    }
  }

  private JsonNode post(String endpoint, String json) {
    HttpRequest request = request(base.resolve(endpoint)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw error(response.statusCode(), response.body(), endpoint);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw RegistryException.unavailable(describe() + " answered " + endpoint + " with invalid JSON", e);
    }
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET().header("Accept", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw RegistryException.unavailable(describe() + " is unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.unavailable("interrupted while calling " + describe(), e);
    }
  }

  /**
   * MLflow answers errors as {@code {"error_code": ..., "message": ...}}: 404 RESOURCE_DOES_NOT_EXIST
   * for an unknown model or version, 400 INVALID_PARAMETER_VALUE for an unknown alias.
   */
  private RegistryException error(int status, String body, String what) {
    String code = "";
    String message = body == null ? "" : body;
    try {
      JsonNode node = JSON.readTree(body);
      code = node.path("error_code").asText("");
      message = node.path("message").asText(message);
    } catch (IOException | RuntimeException ignored) {
      // not JSON: keep the raw (truncated) body
    }
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    String text = describe() + " refused " + what + ": HTTP " + status + (code.isEmpty() ? "" : " " + code) + ": " + message;
    boolean notFound = status == 404 || "RESOURCE_DOES_NOT_EXIST".equals(code)
        || (status == 400 && "INVALID_PARAMETER_VALUE".equals(code) && message.toLowerCase().contains("not found"));
    return notFound ? RegistryException.notFound(text) : RegistryException.unavailable(text, null);
  }

  private static ModelVersion toVersion(JsonNode v) {
    if (v == null || v.isMissingNode() || !v.hasNonNull("name") || !v.hasNonNull("version")) {
      throw RegistryException.unavailable("malformed model_version in MLflow answer", null);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    v.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    List<String> aliases = new ArrayList<>();
    v.path("aliases").forEach(a -> aliases.add(a.asText()));
    String location = v.hasNonNull("storage_location") ? v.get("storage_location").asText() : v.path("source").asText(null);
    return ModelVersion.of(v.get("name").asText(), v.get("version").asText(), aliases,
        v.path("status").asText(ModelVersion.READY), v.path("current_stage").asText(ModelVersion.NO_STAGE), location, tags);
  }

  @Override
  public String toString() {
    return describe();
  }
}
