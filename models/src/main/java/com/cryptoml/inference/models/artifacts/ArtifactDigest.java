package com.cryptoml.inference.models.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * SHA-256 of a model artifact directory, the value of the registry's {@code sha256} tag.
 *
 * <p>Definition (stable, so other tools can compute it): for every regular file under the directory,
 * sorted by its relative path with '/' separators, feed the path's UTF-8 bytes, a zero byte, the
 * file size as an 8-byte big-endian integer and the file's bytes. The digest is the lowercase hex of
 * the result. A single file is digested as a directory holding only that file.
 */
public final class ArtifactDigest {
  private ArtifactDigest() {}

  public static String sha256(Path root) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      if (Files.isRegularFile(root)) {
        update(digest, root.getFileName().toString(), root);
      } else {
        for (Path file : files(root)) {
          update(digest, relative(root, file), file);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot digest " + root, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Regular files under root in digest order. Symbolic links are not followed. */
  public static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .sorted((a, b) -> relative(root, a).compareTo(relative(root, b)))
          .collect(Collectors.toList());
    }
  }

  /** Total size in bytes of the regular files under root. */
  public static long size(Path root) {
    try {
      long total = 0;
      for (Path f : files(root)) {
        total += Files.size(f);
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  private static void update(MessageDigest digest, String name, Path file) throws IOException {
    digest.update(name.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(Files.size(file)).array());
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
  }
}
