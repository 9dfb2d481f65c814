package com.cryptoml.inference.models.registry;

import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import com.cryptoml.inference.models.registry.mlflow.MlflowRestRegistry;
import com.cryptoml.inference.models.registry.vertex.VertexAiRegistry;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Opens a registry from its URI, the one string pipelines carry in their options:
 *
 * <ul>
 *   <li>a path, {@code file:///...} or {@code gs://bucket/store}: an MLflow FileStore;
 *   <li>{@code http(s)://host:port}: an MLflow tracking server (credentials from the environment);
 *   <li>{@code vertex://PROJECT/LOCATION}: Vertex AI Model Registry.
 * </ul>
 *
 * <p>A URI never carries credentials: options travel into logs and into a Dataflow job's
 * description, so one with user information ({@code https://user:secret@host}) is refused with a
 * message that names the environment variables MLflow's own clients read instead.
 */
public final class Registries {
  /** How to give an MLflow server credentials, for messages. */
  public static final String CREDENTIALS_HINT = "put credentials in the environment as MLflow's clients read them: "
      + "MLFLOW_TRACKING_TOKEN (bearer token) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD";

  private Registries() {}

  public static ModelRegistry open(String uri) {
    String u = checked(uri);
    if (u.startsWith("http://") || u.startsWith("https://")) {
      return MlflowRestRegistry.fromEnvironment(URI.create(u));
    }
    if (u.startsWith("vertex://")) {
      String[] parts = u.substring("vertex://".length()).split("/");
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException("Vertex AI registry URI must be vertex://PROJECT/LOCATION, got " + u);
      }
      return VertexAiRegistry.create(parts[0], parts[1]);
    }
    return new MlflowFileStoreRegistry(u);
  }

  /**
   * {@code uri} trimmed, if it carries no credentials; otherwise an {@link IllegalArgumentException}
   * whose message shows the URI without them.
   */
  public static String checked(String uri) {
    String u = uri == null ? "" : uri.trim();
    if (u.isEmpty()) {
      throw new IllegalArgumentException("no model registry given (deployment.registry, --registry)");
    }
    if (hasUserInfo(u)) {
      throw new IllegalArgumentException("the registry URI " + redact(u) + " carries credentials, which would be logged and"
          + " stored with the job's options; give it without them and " + CREDENTIALS_HINT);
    }
    return u;
  }

  /** True when a hierarchical URI has a user-info part ({@code scheme://user[:password]@host}). */
  static boolean hasUserInfo(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return false;
    }
    String rest = uri.substring(scheme + 3);
    int end = rest.indexOf('/');
    String authority = end < 0 ? rest : rest.substring(0, end);
    return authority.contains("@");
  }

  /** The URI with any user information replaced by {@code ***}, for messages. */
  public static String redact(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return uri;
    }
    String rest = uri.substring(scheme + 3);
    int end = rest.indexOf('/');
    String authority = end < 0 ? rest : rest.substring(0, end);
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      return uri;
    }
    return uri.substring(0, scheme + 3) + "***@" + rest.substring(at + 1);
  }

  /** Whether the URI parses at all; for validation messages. */
  static boolean parses(String uri) {
    try {
      new URI(uri);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
