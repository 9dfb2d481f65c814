package com.cryptoml.inference.pipelines.io;

import com.cryptoml.inference.models.artifacts.SafePaths;
import com.cryptoml.inference.models.artifacts.StoreFiles;
import com.cryptoml.inference.models.artifacts.StoreFilesProvider;
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
 * Files through Beam's {@link FileSystems}: local paths and every scheme whose Beam file system is on
 * the class path ({@code gs://} here). The pipelines read configuration, requests and Kafka settings
 * with it, and it serves model stores under those schemes to the {@code models} module ({@link
 * Provider}, registered in {@code META-INF/services}).
 */
public final class BeamFiles {
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

  /** Files matching a glob ({@code *} within a directory, {@code **} across), sorted; empty when none. */
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

  /** Reads a small UTF-8 file; refuses files larger than {@link StoreFiles#MAX_TEXT_BYTES}. */
  public static String readString(String file) throws IOException {
    ensureRegistered();
    ResourceId id = FileSystems.matchNewResource(file, false);
    try (ReadableByteChannel channel = FileSystems.open(id);
        InputStream in = Channels.newInputStream(channel)) {
      byte[] bytes = in.readNBytes(StoreFiles.MAX_TEXT_BYTES + 1);
      if (bytes.length > StoreFiles.MAX_TEXT_BYTES) {
        throw new IOException(file + " is larger than " + StoreFiles.MAX_TEXT_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Whether Beam has a file system for {@code scheme}. */
  static boolean hasFileSystem(String scheme) {
    ensureRegistered();
    try {
      FileSystems.matchNewResource(scheme + "://probe/x", false);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A model store under a scheme Beam serves; object stores have no links to follow. */
  static final class Store implements StoreFiles {
    private final String root;

    Store(String root) {
      this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    @Override
    public String root() {
      return root;
    }

    private void inside(String file) throws IOException {
      if (!(file.equals(root) || file.startsWith(root + "/")) || !SafePaths.isSafeRelative(file.equals(root) ? "x" : file.substring(root.length() + 1))) {
        throw new UnsafePathException(file + " is outside the store " + root);
      }
    }

    @Override
    public List<String> match(String glob) throws IOException {
      inside(glob.replaceAll("\\\\(.)", "$1"));
      return BeamFiles.match(glob);
    }

    @Override
    public String readString(String file) throws IOException {
      inside(file);
      return BeamFiles.readString(file);
    }

    @Override
    public int copyTree(String dir, Path target) throws IOException {
      inside(dir);
      String prefix = dir.endsWith("/") ? dir : dir + "/";
      List<String> files = BeamFiles.match(StoreFiles.escapeGlob(prefix) + "**");
      for (String file : files) {
        if (!file.startsWith(prefix)) {
          throw new UnsafePathException("listing of " + dir + " returned " + file + " outside it");
        }
        SafePaths.resolveInside(target, file.substring(prefix.length()));
      }
      for (String file : files) {
        Path to = SafePaths.resolveInside(target, file.substring(prefix.length()));
        Files.createDirectories(to.getParent());
        try (ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(file, false));
            InputStream in = Channels.newInputStream(channel)) {
          Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return files.size();
    }
  }

  /** Serves {@link StoreFiles} for the schemes of Beam's file systems other than local files. */
  public static final class Provider implements StoreFilesProvider {
    @Override
    public boolean supports(String scheme) {
      return !scheme.equals("file") && hasFileSystem(scheme);
    }

    @Override
    public StoreFiles open(String root) {
      return new Store(root);
    }

    @Override
    public String describe() {
      return "the schemes of Beam's file systems on the class path (gs://)";
    }
  }
}
