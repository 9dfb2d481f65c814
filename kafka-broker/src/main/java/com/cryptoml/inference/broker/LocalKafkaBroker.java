package com.cryptoml.inference.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka 3.9.1 broker in KRaft mode (combined broker and controller), started as its own
 * JVM on 127.0.0.1 from the class path the {@code kafka-broker} module resolved. Used by the
 * integration tests and the local demo; {@link #restart()} stops and starts it on the same ports and
 * log directory, as a broker restart does.
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  private static LocalKafkaBroker shared;

  private final Path dir;
  private final String classpath;
  private final int port;
  private final int controllerPort;
  private Process process;

  private LocalKafkaBroker(Path dir, String classpath, int port, int controllerPort) {
    this.dir = dir;
    this.classpath = classpath;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats a fresh log directory under {@code dir} and starts the broker. */
  public static LocalKafkaBroker start(Path dir) {
    try {
      Files.createDirectories(dir);
      LocalKafkaBroker broker = new LocalKafkaBroker(dir, brokerClasspath(), freePort(), freePort());
      broker.writeConfig();
      broker.format();
      broker.launch();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local Kafka broker in " + dir, e);
    }
  }

  /** One broker per JVM for tests, stopped when the JVM exits. */
  public static synchronized LocalKafkaBroker shared() {
    if (shared == null) {
      try {
        shared = start(Files.createTempDirectory("kafka-"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      LocalKafkaBroker b = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kafka-broker-shutdown"));
    }
    return shared;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public Path directory() {
    return dir;
  }

  /** Creates topics (no-op for those that exist). */
  public void createTopics(Collection<String> topics, int partitions) {
    try (Admin admin = admin()) {
      List<NewTopic> newTopics = new ArrayList<>();
      for (String t : topics) {
        newTopics.add(new NewTopic(t, partitions, (short) 1));
      }
      try {
        admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topics " + topics + ": " + e.getCause(), e);
        }
      }
    } catch (Exception e) {
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException("cannot create topics " + topics, e);
    }
  }

  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return Admin.create(p);
  }

  /** Stops the broker gracefully (SIGTERM, then a hard kill after 30 s). */
  public synchronized void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    process = null;
  }

  /** Stop, then start again on the same ports and log directory. */
  public synchronized void restart() {
    stop();
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    stop();
  }

  private void writeConfig() throws IOException {
    Map<String, String> c = new java.util.LinkedHashMap<>();
    c.put("process.roles", "broker,controller");
    c.put("node.id", "1");
    c.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    c.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    c.put("controller.listener.names", "CONTROLLER");
    c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    c.put("inter.broker.listener.name", "PLAINTEXT");
    c.put("log.dirs", dir.resolve("logs").toAbsolutePath().toString());
    c.put("num.partitions", "1");
    c.put("offsets.topic.replication.factor", "1");
    c.put("offsets.topic.num.partitions", "4");
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("group.initial.rebalance.delay.ms", "0");
    c.put("auto.create.topics.enable", "false");
    // No log.flush.interval.*: as Kafka's defaults, the OS writes the log back. A stopped or killed broker
    // loses nothing that way (the page cache outlives the process); an fsync per message made every produce
    // wait for the disk and bounded the benchmark's figures for all three stream programs alike.
    StringBuilder sb = new StringBuilder();
    c.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(dir.resolve("server.properties"), sb.toString());
  }

  private void format() throws IOException {
    Process p = new ProcessBuilder(java(), "-Xmx256m", "-cp", classpath, "kafka.tools.StorageTool", "format",
        "-t", Uuid.randomUuid().toString(), "-c", dir.resolve("server.properties").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("kafka StorageTool format failed: " + Files.readString(dir.resolve("format.log")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while formatting", e);
    }
  }

  private void launch() throws IOException {
    process = new ProcessBuilder(java(), "-Xmx512m", "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", classpath, "kafka.Kafka", dir.resolve("server.properties").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the Kafka broker exited with " + process.exitValue() + "; see " + dir.resolve("broker.log"));
      }
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        LOG.info("Kafka broker up at {} (logs in {})", bootstrapServers(), dir);
        return;
      } catch (Exception e) {
        last = e;
        try {
          Thread.sleep(250);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the broker", ie);
        }
      }
    }
    stop();
    throw new IOException("the Kafka broker did not come up within 90 s; see " + dir.resolve("broker.log"), last);
  }

  private static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The broker class path the kafka-broker module wrote, found from here or any parent directory. */
  static String brokerClasspath() throws IOException {
    String configured = System.getProperty("inference.kafka.classpath");
    Path file = configured != null ? Paths.get(configured) : null;
    for (Path d = Paths.get("").toAbsolutePath(); file == null && d != null; d = d.getParent()) {
      Path candidate = d.resolve("kafka-broker").resolve("target").resolve("classpath.txt");
      if (Files.isRegularFile(candidate)) {
        file = candidate;
      }
    }
    if (file == null) {
      throw new IOException("kafka-broker/target/classpath.txt not found: build the kafka-broker module "
          + "(mvn -B -pl kafka-broker install) or set -Dinference.kafka.classpath");
    }
    return Files.readString(file).trim();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
