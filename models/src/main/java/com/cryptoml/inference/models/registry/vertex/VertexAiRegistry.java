package com.cryptoml.inference.models.registry.vertex;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.artifacts.StoreFiles;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.RegistryException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.aiplatform.v1.ListModelVersionsRequest;
import com.google.cloud.aiplatform.v1.LocationName;
import com.google.cloud.aiplatform.v1.Model;
import com.google.cloud.aiplatform.v1.ModelServiceClient;
import com.google.cloud.aiplatform.v1.ModelServiceSettings;
import com.google.protobuf.Value;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vertex AI Model Registry through Google's own client ({@code google-cloud-aiplatform}).
 *
 * <p>Mapping: the registered model's resource id is the model id ({@code
 * projects/P/locations/L/models/swing-high-v1-1h}); {@code versionId} is the registry version;
 * {@code versionAliases} hold {@code champion}/{@code challenger}; {@code artifactUri} (GCS) holds the
 * MLflow model directory. Label values cannot hold a SHA-256 (63 characters at most), so the
 * checksum and semantic version live in the version's {@code metadata} struct as {@code sha256} and
 * {@code version_label}. Vertex has no registration status: every listed version counts as READY.
 */
public final class VertexAiRegistry implements ModelRegistry {
  private final String project;
  private final String location;
  private final ModelServiceClient client;

  public VertexAiRegistry(String project, String location, ModelServiceSettings settings) {
    this.project = project;
    this.location = location;
    try {
      this.client = ModelServiceClient.create(settings);
    } catch (IOException e) {
      throw RegistryException.unavailable("cannot create Vertex AI client for " + project + "/" + location, e);
    }
  }

  /** The public regional endpoint with application-default credentials. */
  public static VertexAiRegistry create(String project, String location) {
    try {
      ModelServiceSettings settings = ModelServiceSettings.newBuilder()
          .setEndpoint(location + "-aiplatform.googleapis.com:443")
          .build();
      return new VertexAiRegistry(project, location, settings);
    } catch (IOException e) {
      throw RegistryException.unavailable("cannot configure Vertex AI client", e);
    }
  }

  @Override
  public String describe() {
    return "vertex-ai:" + project + "/" + location;
  }

  private String modelName(String id) {
    return LocationName.of(project, location) + "/models/" + id;
  }

  @Override
  public List<String> listModels() {
    return call(() -> {
      List<String> ids = new ArrayList<>();
      for (Model m : client.listModels(LocationName.of(project, location)).iterateAll()) {
        ids.add(m.getName().substring(m.getName().lastIndexOf('/') + 1));
      }
      return ids;
    }, "list models");
  }

  @Override
  public List<ModelVersion> listVersions(String name) {
    return call(() -> {
      List<ModelVersion> versions = new ArrayList<>();
      ListModelVersionsRequest request = ListModelVersionsRequest.newBuilder().setName(modelName(name)).build();
      for (Model m : client.listModelVersions(request).iterateAll()) {
        versions.add(toVersion(name, m));
      }
      versions.sort(Comparator.comparingLong(v -> Long.parseLong(v.version())));
      return versions;
    }, "list versions of " + name);
  }

  @Override
  public ModelVersion getVersion(String name, String version) {
    return call(() -> toVersion(name, client.getModel(modelName(name) + "@" + version)), "get " + name + "@" + version);
  }

  @Override
  public ModelVersion getByAlias(String name, String alias) {
    return call(() -> toVersion(name, client.getModel(modelName(name) + "@" + alias)), "get " + name + "@" + alias);
  }

  /** Vertex AI has version aliases and ids, no stages. */
  @Override
  public ModelVersion latestInStage(String name, String stage) {
    throw RegistryException.notFound("Vertex AI Model Registry has no stages (asked for " + name + " in " + stage
        + "); name a version alias (" + name + "@champion) or a version id (" + name + ":3)");
  }

  @Override
  public void download(ModelVersion version, Path target) {
    String uri = version.artifactUri();
    if (uri == null || uri.isBlank()) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT, "Vertex model version has no artifactUri");
    }
    if (uri.contains("..")) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.UNSAFE_PATH, "artifactUri " + uri + " contains '..'");
    }
    try {
      if (StoreFiles.at(uri).copyTree(uri, target) == 0) {
        throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT, "artifactUri " + uri + " is empty or missing");
      }
    } catch (IOException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.MISSING_ARTIFACT, "cannot copy " + uri + ": " + e.getMessage(), e);
    }
  }

  private static ModelVersion toVersion(String name, Model m) {
    Map<String, String> tags = new LinkedHashMap<>(m.getLabelsMap());
    Value metadata = m.getMetadata();
    if (metadata.hasStructValue()) {
      metadata.getStructValue().getFieldsMap().forEach((k, v) -> {
        if (v.hasStringValue()) {
          tags.put(k, v.getStringValue());
        }
      });
    }
    return ModelVersion.of(name, m.getVersionId(), m.getVersionAliasesList(), ModelVersion.READY, m.getArtifactUri(), tags);
  }

  private <T> T call(java.util.function.Supplier<T> rpc, String what) {
    try {
      return rpc.get();
    } catch (ApiException e) {
      String text = describe() + " refused " + what + ": " + e.getStatusCode().getCode() + " " + e.getMessage();
      if (e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND) {
        throw RegistryException.notFound(text);
      }
      throw RegistryException.unavailable(text, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
