package com.cryptoml.inference.runners;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code ./inference COMMAND} as a user runs it: {@link Main} in a JVM of its own, with the test's
 * class path and the launcher's system properties, its output lines collected as they come.
 */
final class ChildJvm implements AutoCloseable {
  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
          System.out.println("[child] " + line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(String... args) throws IOException {
    return start(java.util.Map.of(), "warn", args);
  }

  /** With extra environment variables and slf4j's default log level ({@code debug} logs everything). */
  static ChildJvm start(java.util.Map<String, String> env, String logLevel, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.java(), "-Xmx1g", "-Dai.djl.offline=true",
        "-Dcom.google.protobuf.use_unsafe_pre22_gencode=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel));
    if (logLevel.equals("warn")) {
      cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=error");
    }
    String natives = System.getProperty("inference.natives.cache");
    if (natives != null) {
      cmd.add("-Dinference.natives.cache=" + natives);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    pb.environment().remove("LOG_LEVEL");
    pb.environment().putAll(env);
    return new ChildJvm(pb.start());
  }

  /** Waits for a line that passes {@code test}; fails with the output so far when none comes in time. */
  String awaitLine(Predicate<String> test, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : lines) {
        if (test.test(l)) {
          return l;
        }
      }
      if (!process.isAlive() && lines.stream().noneMatch(test)) {
        Thread.sleep(200); // the reader may still be draining
        return lines.stream().filter(test).findFirst()
            .orElseThrow(() -> new AssertionError("the command ended (" + process.exitValue() + ") without the line:\n" + output()));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no such line within " + timeout + ":\n" + output());
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + ":\n" + output());
    }
    Thread.sleep(200);
    return process.exitValue();
  }

  String output() {
    return String.join("\n", lines);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** An HTTP GET: status and body. */
  record Response(int status, String body) {}

  static Response get(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(5000);
      int status = c.getResponseCode();
      var in = status < 400 ? c.getInputStream() : c.getErrorStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, body);
    } catch (IOException e) {
      return new Response(-1, e.toString());
    }
  }

  /** The java launcher of this JVM. */
  private static final class Path {
    static String java() {
      return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
  }
}
