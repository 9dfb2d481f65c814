package com.cryptoml.inference.models.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Reads stores through Beam's {@link FileSystems}, so the same code serves local paths and
 * {@code gs://} (any scheme whose Beam file system is on the class path).
 */
public final class BeamFiles {
  /** Largest single metadata file read into memory; artifacts are streamed, not read whole. */
  public static final int MAX_TEXT_BYTES = 1 << 20;

  private static volatile boolean registered;

  private BeamFiles() {}

  /** Registers the file systems on the class path (gs:// ...) when no pipeline did it yet. */
  private static void ensureRegistered() {
    if (!registered) {
      synchronized (BeamFiles.class) {
        if (!registered) {
          FileSystems.registerFileSystemsOnce(PipelineOptionsFactory.create());
          registered = true;
        }
      }
    }
  }

  /** Files matching a glob ({@code *} within a directory, {@code **} across); empty when none. */
  public static List<String> match(String glob) {
    ensureRegistered();
    try {
      MatchResult result = FileSystems.match(List.of(glob), EmptyMatchTreatment.ALLOW).get(0);
      if (result.status() == MatchResult.Status.NOT_FOUND) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (MatchResult.Metadata m : result.metadata()) {
        if (!m.resourceId().isDirectory()) {
          out.add(m.resourceId().toString());
        }
      }
      out.sort(String::compareTo);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + glob, e);
    }
  }

  public static boolean exists(String file) {
    return !match(escapeGlob(file)).isEmpty();
  }

  /** Reads a small UTF-8 file; refuses files larger than {@link #MAX_TEXT_BYTES}. */
  public static String readString(String file) throws IOException {
    ensureRegistered();
    ResourceId id = FileSystems.matchNewResource(file, false);
    try (ReadableByteChannel channel = FileSystems.open(id);
        InputStream in = Channels.newInputStream(channel)) {
      byte[] bytes = in.readNBytes(MAX_TEXT_BYTES + 1);
      if (bytes.length > MAX_TEXT_BYTES) {
        throw new IOException(file + " is larger than " + MAX_TEXT_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Copies one file to a local path. */
  public static void copyTo(String file, Path target) throws IOException {
    ensureRegistered();
    Files.createDirectories(target.getParent());
    try (ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(file, false));
        InputStream in = Channels.newInputStream(channel)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Copies every file under {@code dir} into {@code target}, keeping relative paths; returns the
   * number of files copied. Relative paths that would escape {@code target} are refused.
   */
  public static int copyTree(String dir, Path target) throws IOException {
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    List<String> files = match(escapeGlob(prefix) + "**");
    for (String file : files) {
      if (!file.startsWith(prefix)) {
        throw new IOException("listing of " + dir + " returned " + file + " outside it");
      }
      copyTo(file, SafePaths.resolveInside(target, file.substring(prefix.length())));
    }
    return files.size();
  }

  /** Joins a directory URI or path and relative segments with '/'. */
  public static String join(String dir, String... segments) {
    StringBuilder sb = new StringBuilder(dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir);
    for (String s : segments) {
      sb.append('/').append(s);
    }
    return sb.toString();
  }

  /** Escapes glob metacharacters so a literal path can be matched. */
  public static String escapeGlob(String path) {
    return path.replaceAll("([*?\\[\\]{}])", "\\\\$1");
  }
}
