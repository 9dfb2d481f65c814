package com.cryptoml.inference.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.junit.jupiter.api.Test;

/**
 * The worker container (runners/dataflow/worker/Dockerfile) cannot be built here (no Docker Hub or
 * NVIDIA registry), so what can drift is checked against the build instead: the Beam SDK harness
 * matches the Beam the job is built with, the TensorFlow natives are the very jar the tests run,
 * pinned by its digest, and they land where TENSORFLOW_LIBRARY_PATH points.
 */
class WorkerContainerTest {
  private static final String DOCKERFILE = Files.isRegularFile(Path.of("dataflow/worker/Dockerfile"))
      ? "dataflow/worker/Dockerfile" : "runners/dataflow/worker/Dockerfile";

  private static String arg(String dockerfile, String name) {
    Matcher m = Pattern.compile("(?m)^ARG " + name + "=(\\S+)$").matcher(dockerfile);
    assertTrue(m.find(), "Dockerfile lacks ARG " + name);
    return m.group(1);
  }

  @Test
  void sdkHarnessMatchesTheBeamVersionOfTheBuild() throws Exception {
    String dockerfile = Files.readString(Path.of(DOCKERFILE));
    assertEquals(ReleaseInfo.getReleaseInfo().getSdkVersion(), arg(dockerfile, "BEAM_VERSION"));
    assertTrue(dockerfile.contains("FROM apache/beam_java17_sdk:${BEAM_VERSION} AS beam"));
    assertTrue(dockerfile.contains("COPY --from=beam /opt/apache/beam /opt/apache/beam"));
    assertTrue(dockerfile.contains("ENTRYPOINT [\"/opt/apache/beam/boot\"]"));
  }

  @Test
  void tensorFlowNativesAreTheTestedJarPinnedByDigest() throws Exception {
    String dockerfile = Files.readString(Path.of(DOCKERFILE));
    URL properties = getClass().getClassLoader().getResource("native/lib/tensorflow.properties");
    JarURLConnection jar = (JarURLConnection) properties.openConnection();
    Path jarPath = Path.of(jar.getJarFileURL().toURI());
    Properties p = new Properties();
    try (InputStream in = properties.openStream()) {
      p.load(in);
    }
    String version = arg(dockerfile, "TF_NATIVES_VERSION");
    assertTrue(p.getProperty("version").startsWith(version + "-"), p.getProperty("version") + " vs " + version);
    assertTrue(jarPath.getFileName().toString().equals("tensorflow-native-cpu-" + version + "-linux-x86_64.jar"), jarPath.toString());
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jarPath)));
    assertEquals(sha256, arg(dockerfile, "TF_NATIVES_SHA256"));
    // TensorFlow 2.10's GPU build wants CUDA 11.2 and cuDNN 8 (the jar's own classifier says cu113-compatible).
    assertTrue(p.getProperty("classifier").startsWith("cu11"), p.getProperty("classifier"));
    assertTrue(dockerfile.contains("FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04"));
    assertTrue(dockerfile.contains("unzip -j -d /opt/tensorflow /tmp/tf-natives.jar 'native/lib/*'"));
    assertTrue(dockerfile.contains("ENV TENSORFLOW_LIBRARY_PATH=/opt/tensorflow"));
  }
}
