package com.cryptoml.inference.models.artifacts;

/**
 * Serves {@link StoreFiles} for URI schemes beyond local paths, found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/com.cryptoml.inference.models.artifacts.StoreFilesProvider}).
 */
public interface StoreFilesProvider {
  /** Whether stores under {@code scheme} (lower case, e.g. {@code gs}) can be opened. */
  boolean supports(String scheme);

  /** The store at {@code root}, a URI of a supported scheme. */
  StoreFiles open(String root);

  /** What it serves, for messages: {@code "gs:// (Beam file systems)"}. */
  String describe();
}
