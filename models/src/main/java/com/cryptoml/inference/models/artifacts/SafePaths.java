package com.cryptoml.inference.models.artifacts;

import java.nio.file.Path;

/**
 * Guards against artifact paths that escape where they should live: a registry (or whoever wrote
 * it) is not trusted to name arbitrary files on this machine.
 */
public final class SafePaths {
  private SafePaths() {}

  /** True when the relative path has no {@code ..}, no leading '/', no backslash and no NUL. */
  public static boolean isSafeRelative(String relative) {
    if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")
        || relative.indexOf('\0') >= 0 || relative.matches("^[A-Za-z]:.*")) {
      return false;
    }
    for (String segment : relative.split("/")) {
      if (segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** Resolves {@code relative} under {@code root}, refusing anything that would land outside it. */
  public static Path resolveInside(Path root, String relative) {
    if (!isSafeRelative(relative)) {
      throw new IllegalArgumentException("unsafe relative path '" + relative + "'");
    }
    Path normalizedRoot = root.toAbsolutePath().normalize();
    Path resolved = normalizedRoot.resolve(relative).normalize();
    if (!resolved.startsWith(normalizedRoot)) {
      throw new IllegalArgumentException("path '" + relative + "' escapes " + root);
    }
    return resolved;
  }
}
