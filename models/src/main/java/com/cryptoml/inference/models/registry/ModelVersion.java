package com.cryptoml.inference.models.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One registered model version as a registry describes it.
 *
 * @param name registered model name, which is the request's model id (swing-high-v1-1h)
 * @param version the registry's version number ("1", "2", ...)
 * @param versionLabel the semantic version events carry as model_version: the {@code version_label}
 *     tag, else the registry version
 * @param aliases aliases pointing at this version
 * @param status READY, PENDING_REGISTRATION, FAILED_REGISTRATION (MLflow) or READY (Vertex)
 * @param stage MLflow's legacy stage ({@code None}, {@code Staging}, {@code Production}, {@code
 *     Archived}); {@code None} where a registry has no stages
 * @param artifactUri where the MLflow model directory lives, as the registry wrote it
 * @param sha256 the {@code sha256} tag, or null when absent
 */
public record ModelVersion(
    String name,
    String version,
    String versionLabel,
    List<String> aliases,
    String status,
    String stage,
    String artifactUri,
    String sha256,
    Map<String, String> tags)
    implements Serializable {
  public static final String VERSION_LABEL_TAG = "version_label";
  public static final String SHA256_TAG = "sha256";
  public static final String READY = "READY";
  public static final String NO_STAGE = "None";

  public ModelVersion {
    aliases = List.copyOf(aliases);
    tags = Map.copyOf(tags);
  }

  /** Builds a version from its tags: version_label and sha256 come from the tags when present. */
  public static ModelVersion of(String name, String version, List<String> aliases, String status,
      String artifactUri, Map<String, String> tags) {
    return of(name, version, aliases, status, NO_STAGE, artifactUri, tags);
  }

  /** The same, in a stage. */
  public static ModelVersion of(String name, String version, List<String> aliases, String status, String stage,
      String artifactUri, Map<String, String> tags) {
    return new ModelVersion(name, version, tags.getOrDefault(VERSION_LABEL_TAG, version), aliases,
        status, stage == null || stage.isBlank() ? NO_STAGE : stage, artifactUri, tags.get(SHA256_TAG), tags);
  }

  public boolean isReady() {
    return READY.equalsIgnoreCase(status);
  }

  /** Identity of the served artifact: name, registry version and checksum. */
  public String cacheKey() {
    return name + ":" + version + ":" + (sha256 == null ? "-" : sha256);
  }

  @Override
  public String toString() {
    return name + " v" + version + " (" + versionLabel + ")";
  }
}
