package com.cryptoml.inference.models.registry.mlflow;

import com.cryptoml.inference.models.registry.ModelVersion;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * An in-process HTTP server that answers like an MLflow 2.x tracking server with proxied artifacts,
 * following MLflow's REST API documentation: JSON bodies, versions as strings, optional fields left
 * out when empty, {@code {"error_code", "message"}} errors (404 RESOURCE_DOES_NOT_EXIST for unknown
 * models and versions, 400 INVALID_PARAMETER_VALUE for an unknown alias), artifact listings with base
 * names, {@code get-latest-versions} as a POST with a JSON body (the latest version of each stage
 * asked for, all stages but Archived when none is). Its data comes from an MLflow FileStore read with
 * the project's own reader.
 */
final class FakeMlflowServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final MlflowFileStoreRegistry store;
  private final Path mlruns;
  private final String expectedAuthorization;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** When set, artifact listings name a file outside the artifact, as a hostile server could. */
  volatile boolean maliciousListing;

  FakeMlflowServer(Path storeRoot, String expectedAuthorization) throws IOException {
    this.store = new MlflowFileStoreRegistry(storeRoot.toString());
    this.mlruns = storeRoot.resolve("mlruns").toAbsolutePath().normalize();
    this.expectedAuthorization = expectedAuthorization;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getRawPath();
      Map<String, String> q = query(ex.getRequestURI().getRawQuery());
      requests.add(path + (q.isEmpty() ? "" : " " + q));
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(String.valueOf(auth));
      if (expectedAuthorization != null && !expectedAuthorization.equals(auth)) {
        error(ex, 401, "UNAUTHENTICATED", "You are not authenticated. Please provide valid credentials.");
        return;
      }
      switch (path) {
        case "/api/2.0/mlflow/registered-models/search" -> {
          ObjectNode body = JsonNodeFactory.instance.objectNode();
          ArrayNode models = body.putArray("registered_models");
          store.listModels().forEach(n -> models.addObject().put("name", n));
          json(ex, 200, body);
        }
        case "/api/2.0/mlflow/registered-models/get" -> {
          String name = q.get("name");
          if (!store.listModels().contains(name)) {
            error(ex, 404, "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=" + name + " not found");
            return;
          }
          ObjectNode body = JsonNodeFactory.instance.objectNode();
          ObjectNode model = body.putObject("registered_model");
          model.put("name", name);
          model.put("creation_timestamp", 1717200000000L);
          ArrayNode aliases = model.putArray("aliases");
          for (ModelVersion v : store.listVersions(name)) {
            v.aliases().forEach(a -> aliases.addObject().put("alias", a).put("version", v.version()));
          }
          json(ex, 200, body);
        }
        case "/api/2.0/mlflow/model-versions/get" -> {
          ModelVersion v = find(q.get("name"), q.get("version"));
          if (v == null) {
            error(ex, 404, "RESOURCE_DOES_NOT_EXIST", "Model Version (name=" + q.get("name") + ", version=" + q.get("version") + ") not found");
            return;
          }
          json(ex, 200, JsonNodeFactory.instance.objectNode().set("model_version", toJson(v, true)));
        }
        case "/api/2.0/mlflow/registered-models/alias" -> {
          ModelVersion v = null;
          if (store.listModels().contains(q.get("name"))) {
            v = store.listVersions(q.get("name")).stream().filter(x -> x.aliases().contains(q.get("alias"))).findFirst().orElse(null);
          }
          if (v == null) {
            error(ex, 400, "INVALID_PARAMETER_VALUE", "Registered model alias " + q.get("alias") + " not found.");
            return;
          }
          json(ex, 200, JsonNodeFactory.instance.objectNode().set("model_version", toJson(v, true)));
        }
        case "/api/2.0/mlflow/registered-models/get-latest-versions" -> {
          if (!ex.getRequestMethod().equals("POST")) {
            error(ex, 405, "BAD_REQUEST", "get-latest-versions is a POST");
            return;
          }
          com.fasterxml.jackson.databind.JsonNode request = JSON.readTree(ex.getRequestBody());
          String name = request.path("name").asText();
          if (!store.listModels().contains(name)) {
            error(ex, 404, "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=" + name + " not found");
            return;
          }
          List<String> stages = new ArrayList<>();
          request.path("stages").forEach(st -> stages.add(st.asText().toLowerCase()));
          Map<String, ModelVersion> latest = new LinkedHashMap<>();
          for (ModelVersion v : store.listVersions(name)) {
            String stage = v.stage().toLowerCase();
            if (stages.isEmpty() ? !stage.equals("archived") : stages.contains(stage)) {
              latest.merge(stage, v, (a, b) -> Long.parseLong(b.version()) > Long.parseLong(a.version()) ? b : a);
            }
          }
          ObjectNode body = JsonNodeFactory.instance.objectNode();
          ArrayNode versions = body.putArray("model_versions");
          latest.values().forEach(v -> versions.add(toJson(v, false)));
          json(ex, 200, body);
        }
        case "/api/2.0/mlflow/model-versions/search" -> {
          String filter = q.getOrDefault("filter", "");
          String name = filter.replaceAll("^name\\s*=\\s*'(.*)'$", "$1");
          ObjectNode body = JsonNodeFactory.instance.objectNode();
          if (store.listModels().contains(name)) {
            ArrayNode versions = body.putArray("model_versions");
            // Search results leave aliases out, as MLflow 3 servers do.
            store.listVersions(name).forEach(v -> versions.add(toJson(v, false)));
          }
          json(ex, 200, body);
        }
        case "/api/2.0/mlflow/model-versions/get-download-uri" -> {
          ModelVersion v = find(q.get("name"), q.get("version"));
          if (v == null) {
            error(ex, 404, "RESOURCE_DOES_NOT_EXIST", "Model Version not found");
            return;
          }
          String dir = store.resolveArtifactDir(v);
          String relative = mlruns.relativize(Path.of(dir)).toString();
          json(ex, 200, JsonNodeFactory.instance.objectNode().put("artifact_uri", "mlflow-artifacts:/" + relative));
        }
        case "/api/2.0/mlflow-artifacts/artifacts" -> {
          Path dir = artifactPath(q.getOrDefault("path", ""));
          ObjectNode body = JsonNodeFactory.instance.objectNode();
          if (maliciousListing) {
            body.putArray("files").addObject().put("path", "..").put("is_dir", true);
            json(ex, 200, body);
            return;
          }
          if (Files.isDirectory(dir)) {
            List<Path> children;
            try (Stream<Path> list = Files.list(dir)) {
              children = new ArrayList<>(list.sorted().toList());
            }
            if (!children.isEmpty()) {
              ArrayNode files = body.putArray("files");
              for (Path child : children) {
                ObjectNode f = files.addObject();
                f.put("path", child.getFileName().toString()); // base names, as MLflow lists them
                f.put("is_dir", Files.isDirectory(child));
                if (!Files.isDirectory(child)) {
                  f.put("file_size", Files.size(child));
                }
              }
            }
          }
          json(ex, 200, body);
        }
        default -> {
          String prefix = "/api/2.0/mlflow-artifacts/artifacts/";
          if (path.startsWith(prefix)) {
            Path file = artifactPath(URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8));
            if (!Files.isRegularFile(file)) {
              error(ex, 404, "RESOURCE_DOES_NOT_EXIST", "File not found");
              return;
            }
            byte[] bytes = Files.readAllBytes(file);
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(bytes);
            }
            return;
          }
          error(ex, 404, "ENDPOINT_NOT_FOUND", "No API endpoint found for " + path);
        }
      }
    } catch (RuntimeException e) {
      error(ex, 500, "INTERNAL_ERROR", String.valueOf(e.getMessage()));
    }
  }

  private Path artifactPath(String relative) {
    Path p = mlruns.resolve(relative).normalize();
    if (!p.startsWith(mlruns)) {
      throw new IllegalArgumentException("outside artifact root");
    }
    return p;
  }

  private ModelVersion find(String name, String version) {
    if (name == null || !store.listModels().contains(name)) {
      return null;
    }
    return store.listVersions(name).stream().filter(v -> v.version().equals(version)).findFirst().orElse(null);
  }

  private static ObjectNode toJson(ModelVersion v, boolean withAliases) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("name", v.name());
    n.put("version", v.version());
    n.put("creation_timestamp", 1717200000001L);
    n.put("current_stage", v.stage());
    n.put("source", v.artifactUri());
    n.put("run_id", "r");
    n.put("status", v.status());
    if (!v.tags().isEmpty()) {
      ArrayNode tags = n.putArray("tags");
      v.tags().forEach((k, val) -> tags.addObject().put("key", k).put("value", val));
    }
    if (withAliases && !v.aliases().isEmpty()) {
      ArrayNode aliases = n.putArray("aliases");
      v.aliases().forEach(aliases::add);
    }
    return n;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }

  private static void json(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
    json(ex, status, JsonNodeFactory.instance.objectNode().put("error_code", code).put("message", message));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
