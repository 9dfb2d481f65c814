package com.cryptoml.inference.models.registry;

import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import com.cryptoml.inference.models.registry.mlflow.MlflowRestRegistry;
import com.cryptoml.inference.models.registry.vertex.VertexAiRegistry;
import java.net.URI;

/**
 * Opens a registry from its URI, the one string pipelines carry in their options:
 *
 * <ul>
 *   <li>a path, {@code file:///...} or {@code gs://bucket/store}: an MLflow FileStore;
 *   <li>{@code http(s)://host:port}: an MLflow tracking server (credentials from the environment);
 *   <li>{@code vertex://PROJECT/LOCATION}: Vertex AI Model Registry.
 * </ul>
 */
public final class Registries {
  private Registries() {}

  public static ModelRegistry open(String uri) {
    String u = uri.trim();
    if (u.startsWith("http://") || u.startsWith("https://")) {
      return MlflowRestRegistry.fromEnvironment(URI.create(u));
    }
    if (u.startsWith("vertex://")) {
      String[] parts = u.substring("vertex://".length()).split("/");
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException("Vertex AI registry URI must be vertex://PROJECT/LOCATION, got " + uri);
      }
      return VertexAiRegistry.create(parts[0], parts[1]);
    }
    return new MlflowFileStoreRegistry(u);
  }
}
