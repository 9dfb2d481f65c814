package com.cryptoml.inference.models.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the TensorFlow native libraries: extracts {@code native/lib/*} from the
 * {@code tensorflow-native-cpu} jar on the class path into a cache directory once per machine, and
 * announces that directory through {@code TENSORFLOW_LIBRARY_PATH} before DJL's engine first loads.
 *
 * <p>Why: the native jar's properties name a CUDA classifier, so DJL would otherwise try to download
 * natives at run time, which fails offline. Everything that touches DJL calls {@link #install()} first.
 */
public final class TensorFlowNatives {
  /** System property (or {@code INFERENCE_NATIVES_CACHE} env var) with the cache root. */
  public static final String CACHE_PROPERTY = "inference.natives.cache";

  public static final String LIBRARY_PATH_PROPERTY = "TENSORFLOW_LIBRARY_PATH";
  private static final String JNI_LIBRARY = "libjnitensorflow.so";
  private static final String PROPERTIES_RESOURCE = "native/lib/tensorflow.properties";
  private static final String COMPLETE_MARKER = ".complete";
  private static final Logger LOG = LoggerFactory.getLogger(TensorFlowNatives.class);

  private static volatile Path installed;

  private TensorFlowNatives() {}

  /**
   * Makes the natives available and returns their directory. Idempotent and safe to call from many
   * threads and processes: extraction happens under a file lock and is published by an atomic rename.
   */
  public static Path install() {
    Path dir = installed;
    if (dir != null) {
      return dir;
    }
    synchronized (TensorFlowNatives.class) {
      if (installed == null) {
        if (System.getProperty("ai.djl.offline") == null) {
          System.setProperty("ai.djl.offline", "true");
        }
        Path existing = preconfiguredDirectory();
        installed = existing != null ? existing : extractFromClasspath(cacheRoot());
        System.setProperty(LIBRARY_PATH_PROPERTY, installed.toString());
        LOG.info("TensorFlow natives: {}", installed);
      }
      return installed;
    }
  }

  /** An operator-provided directory (e.g. GPU natives baked into a container) wins over extraction. */
  private static Path preconfiguredDirectory() {
    String configured = System.getProperty(LIBRARY_PATH_PROPERTY, System.getenv(LIBRARY_PATH_PROPERTY));
    if (configured == null || configured.isBlank()) {
      return null;
    }
    Path dir = Paths.get(configured);
    if (!Files.isRegularFile(dir.resolve(JNI_LIBRARY))) {
      throw new IllegalStateException(
          LIBRARY_PATH_PROPERTY + "=" + configured + " does not contain " + JNI_LIBRARY);
    }
    return dir;
  }

  static Path cacheRoot() {
    String configured = System.getProperty(CACHE_PROPERTY, System.getenv("INFERENCE_NATIVES_CACHE"));
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured);
    }
    return Paths.get(System.getProperty("user.home"), ".cache", "crypto-inference", "natives");
  }

  static Path extractFromClasspath(Path cacheRoot) {
    URL properties = TensorFlowNatives.class.getClassLoader().getResource(PROPERTIES_RESOURCE);
    if (properties == null) {
      throw new IllegalStateException(
          "TensorFlow natives not on the class path: add ai.djl.tensorflow:tensorflow-native-cpu"
              + " (classifier linux-x86_64) or set " + LIBRARY_PATH_PROPERTY);
    }
    try {
      String version = readVersion(properties);
      Path target = cacheRoot.resolve("tensorflow-" + version + "-cpu-linux-x86_64");
      if (Files.exists(target.resolve(COMPLETE_MARKER))) {
        return target;
      }
      Files.createDirectories(cacheRoot);
      try (FileChannel lockChannel =
              FileChannel.open(
                  cacheRoot.resolve(".extract.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = lockChannel.lock()) {
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
          return target; // another process finished while we waited
        }
        extract(properties, target);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not extract TensorFlow natives into " + cacheRoot, e);
    }
  }

  private static String readVersion(URL properties) throws IOException {
    Properties props = new Properties();
    try (InputStream in = properties.openStream()) {
      props.load(in);
    }
    String version = props.getProperty("version", "unknown");
    int dash = version.indexOf('-');
    return dash > 0 ? version.substring(0, dash) : version;
  }

  private static void extract(URL properties, Path target) throws IOException {
    long start = System.nanoTime();
    Path staging = Files.createTempDirectory(target.getParent(), "extract-");
    JarURLConnection connection = (JarURLConnection) properties.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith("native/lib/") || name.contains("..")) {
          continue;
        }
        Path out = staging.resolve(name.substring("native/lib/".length()));
        try (InputStream in = jar.getInputStream(entry)) {
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.writeString(staging.resolve(COMPLETE_MARKER), "ok\n");
    if (Files.exists(target)) {
      deleteRecursively(target); // a half-extracted directory from a killed run
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    LOG.info(
        "Extracted TensorFlow natives into {} in {} ms",
        target,
        (System.nanoTime() - start) / 1_000_000);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Extracts the natives ahead of time (used by {@code .ci/run} and container builds). */
  public static void main(String[] args) {
    System.out.println(install());
  }
}
