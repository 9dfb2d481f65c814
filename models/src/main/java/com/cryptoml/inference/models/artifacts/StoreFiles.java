package com.cryptoml.inference.models.artifacts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * The files of one model store (a registry's directory tree, or where a registry keeps artifacts),
 * read-only and confined to the store: nothing outside its root is listed, read or copied, and no
 * symbolic link is followed ({@link UnsafePathException}).
 *
 * <p>Local paths and {@code file:} URIs are built in; other schemes come from a {@link
 * StoreFilesProvider} on the class path (the pipelines module serves every scheme Beam's file
 * systems know, {@code gs://} among them). Paths and URIs are strings joined with '/'.
 */
public interface StoreFiles {
  /** Largest single metadata file read into memory; artifacts are streamed, not read whole. */
  int MAX_TEXT_BYTES = 1 << 20;

  /** The store's root, as files of it are named. */
  String root();

  /** Files matching a glob ({@code *} within a directory, {@code **} across), sorted; empty when none. */
  List<String> match(String glob) throws IOException;

  /** Reads a small UTF-8 file; refuses files larger than {@link #MAX_TEXT_BYTES}. */
  String readString(String file) throws IOException;

  /**
   * Copies every file under {@code dir} into {@code target}, keeping relative paths; returns the
   * number of files copied (0 when {@code dir} is missing or empty).
   */
  int copyTree(String dir, Path target) throws IOException;

  /** The store at {@code root}: a local directory, or a URI whose scheme a provider serves. */
  static StoreFiles at(String root) {
    String scheme = scheme(root);
    if (scheme == null || scheme.equals("file")) {
      return LocalStoreFiles.at(root);
    }
    List<String> known = new ArrayList<>(List.of("a local path", "file://"));
    for (StoreFilesProvider provider : ServiceLoader.load(StoreFilesProvider.class, StoreFiles.class.getClassLoader())) {
      if (provider.supports(scheme)) {
        return provider.open(root);
      }
      known.add(provider.describe());
    }
    throw new UnsupportedSchemeException("no file system for " + scheme + "://" + " on the class path (supported: "
        + String.join(", ", known) + ")");
  }

  /** The URI scheme of {@code location} in lower case, or null for a plain path (a Windows drive is a path). */
  static String scheme(String location) {
    int colon = location.indexOf(':');
    if (colon < 2 || !location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.\\-]*")) {
      return null;
    }
    return location.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /** Joins a directory URI or path and relative segments with '/'. */
  static String join(String dir, String... segments) {
    StringBuilder sb = new StringBuilder(dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir);
    for (String s : segments) {
      sb.append('/').append(s);
    }
    return sb.toString();
  }

  /** Escapes glob metacharacters so a literal path can be matched. */
  static String escapeGlob(String path) {
    return path.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
  }

  /** A path that leaves the store, or a symbolic link where files were expected. */
  final class UnsafePathException extends IOException {
    public UnsafePathException(String message) {
      super(message);
    }
  }

  /** A store URI whose scheme no file system on the class path serves. */
  final class UnsupportedSchemeException extends IllegalArgumentException {
    public UnsupportedSchemeException(String message) {
      super(message);
    }
  }
}
