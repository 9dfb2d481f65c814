package com.cryptoml.inference.models.registry.vertex;

import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import com.google.cloud.aiplatform.v1.GetModelRequest;
import com.google.cloud.aiplatform.v1.ListModelVersionsRequest;
import com.google.cloud.aiplatform.v1.ListModelVersionsResponse;
import com.google.cloud.aiplatform.v1.ListModelsRequest;
import com.google.cloud.aiplatform.v1.ListModelsResponse;
import com.google.cloud.aiplatform.v1.Model;
import com.google.cloud.aiplatform.v1.ModelServiceGrpc;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-process Vertex AI ModelService: the real gRPC service interface, answering GetModel
 * ({@code models/ID@VERSION} and {@code models/ID@ALIAS}), ListModelVersions and ListModels the way
 * the API reference describes, with NOT_FOUND for unknown resources. Its models are an MLflow
 * FileStore's versions, with artifactUri pointing at their local directories.
 */
final class FakeModelService extends ModelServiceGrpc.ModelServiceImplBase {
  private final String parent;
  private final Map<String, List<Model>> models = new TreeMap<>();

  FakeModelService(String project, String location, MlflowFileStoreRegistry store) {
    this.parent = "projects/" + project + "/locations/" + location;
    for (String name : store.listModels()) {
      List<Model> versions = new ArrayList<>();
      for (ModelVersion v : store.listVersions(name)) {
        List<String> aliases = new ArrayList<>(v.aliases());
        aliases.add(0, "default".equals(v.version()) ? "default" : "v" + v.version());
        versions.add(Model.newBuilder()
            .setName(parent + "/models/" + name)
            .setDisplayName(name)
            .setVersionId(v.version())
            .addAllVersionAliases(aliases)
            .setArtifactUri(store.resolveArtifactDir(v))
            .putLabels("model_type", v.tags().getOrDefault("model_type", "unknown"))
            .setMetadata(Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("sha256", Value.newBuilder().setStringValue(v.sha256()).build())
                .putFields("version_label", Value.newBuilder().setStringValue(v.versionLabel()).build())))
            .build());
      }
      models.put(name, versions);
    }
  }

  @Override
  public void getModel(GetModelRequest request, StreamObserver<Model> response) {
    String name = request.getName();
    String prefix = parent + "/models/";
    if (!name.startsWith(prefix)) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("bad resource name " + name).asRuntimeException());
      return;
    }
    String rest = name.substring(prefix.length());
    int at = rest.indexOf('@');
    String id = at < 0 ? rest : rest.substring(0, at);
    String selector = at < 0 ? "default" : rest.substring(at + 1);
    List<Model> versions = models.get(id);
    Model found = null;
    if (versions != null) {
      for (Model m : versions) {
        if (m.getVersionId().equals(selector) || m.getVersionAliasesList().contains(selector)) {
          found = m;
        }
      }
      if (found == null && selector.equals("default")) {
        found = versions.get(versions.size() - 1);
      }
    }
    if (found == null) {
      response.onError(Status.NOT_FOUND.withDescription("Model " + name + " not found.").asRuntimeException());
      return;
    }
    response.onNext(found);
    response.onCompleted();
  }

  @Override
  public void listModelVersions(ListModelVersionsRequest request, StreamObserver<ListModelVersionsResponse> response) {
    String id = request.getName().substring(request.getName().lastIndexOf('/') + 1);
    List<Model> versions = models.get(id);
    if (versions == null) {
      response.onError(Status.NOT_FOUND.withDescription("Model " + request.getName() + " not found.").asRuntimeException());
      return;
    }
    response.onNext(ListModelVersionsResponse.newBuilder().addAllModels(versions).build());
    response.onCompleted();
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> response) {
    ListModelsResponse.Builder b = ListModelsResponse.newBuilder();
    models.values().forEach(v -> b.addModels(v.get(v.size() - 1)));
    response.onNext(b.build());
    response.onCompleted();
  }
}
