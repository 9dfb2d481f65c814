package com.cryptoml.inference.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.broker.LocalKafkaBroker;
import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.kafka.KafkaTestClient;
import com.cryptoml.inference.runners.ops.ReplayCommand;
import com.cryptoml.inference.runners.ops.TailCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./inference stream} itself, in its own JVM, against a real local broker: it starts its
 * monitoring, becomes ready with every configured version, serves bars that {@code ./inference
 * replay} feeds it, publishes {@code inference_metrics}, and {@code ./inference tail} shows its
 * predictions. An unreachable broker or registry is reported at once, retried, shown on {@code
 * /health}, and given up on with one plain line.
 */
class StreamCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern MONITORING = Pattern.compile("Monitoring: http://127.0.0.1:(\\d+)/metrics");

  static List<String> streamArgs(String prefix, String bootstrap, Path work, int port) {
    return List.of("stream",
        "--bootstrapServers=" + bootstrap,
        "--registry=" + Path.of(PipelineTestData.REGISTRY).toAbsolutePath(),
        "--artifactCacheDir=" + work.resolve("artifacts"),
        "--enabledTimeframes=1h",
        "--models=1h=swing-high-v1-1h,swing-high-v1-1h@challenger",
        "--warmupIterations=2",
        "--predictionTimeoutMs=30000",
        "--referenceClock=none",
        "--featureTopicPrefix=" + prefix + ".features.",
        "--predictionsTopic=" + prefix + ".predictions",
        "--deadLetterTopic=" + prefix + ".dlq",
        "--eventsTopic=" + prefix + ".events",
        "--metricsTopic=" + prefix + ".metrics",
        "--metricsInterval=2s",
        "--consumerGroup=" + prefix,
        "--startOffset=EARLIEST",
        "--watermarkClock=EVENT",
        "--maxEventDelay=1h",
        "--modelRefreshSeconds=5",
        "--monitoringPort=" + port);
  }

  static String run(Command command, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      assertEquals(0, command.run(args, out), "exit status");
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  interface Command {
    int run(String[] args, PrintStream out) throws Exception;
  }

  @Test
  void theStreamCommandServesReplayedBarsAndTailShowsThem(@TempDir Path work) throws Exception {
    LocalKafkaBroker broker = LocalKafkaBroker.shared();
    String prefix = "cmd";
    broker.createTopics(List.of(prefix + ".features.1h", prefix + ".predictions", prefix + ".dlq", prefix + ".events",
        prefix + ".metrics"), 2);
    int port = ChildJvm.freePort();
    try (ChildJvm stream = ChildJvm.start(streamArgs(prefix, broker.bootstrapServers(), work, port).toArray(String[]::new));
        KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
      Matcher m = MONITORING.matcher(stream.awaitLine(l -> MONITORING.matcher(l).find(), Duration.ofSeconds(60)));
      assertTrue(m.find());
      String base = "http://127.0.0.1:" + m.group(1);
      ChildJvm.Response ready = awaitStatus(base + "/ready", 200, Duration.ofSeconds(180), stream);
      JsonNode r = JSON.readTree(ready.body());
      assertEquals(2, r.get("model_versions_serving").asInt(), ready.body());
      assertEquals(2, r.get("model_versions_expected").asInt(), ready.body());
      JsonNode health = JSON.readTree(ChildJvm.get(base + "/health").body());
      assertEquals("up", health.get("status").asText());
      assertEquals("ok", health.get("registry").asText());
      assertTrue(ChildJvm.get(base + "/metrics").body().contains("pipeline_up 1"));

      Instant to = Instant.parse("2024-04-01T00:00:00Z");
      Instant from = to.minus(Duration.ofHours(6));
      String replayed = run(ReplayCommand::run, "--input=" + PipelineTestData.TESTDATA.resolve("data/history/features-1h.parquet"),
          "--bootstrapServers=" + broker.bootstrapServers(), "--featureTopicPrefix=" + prefix + ".features.",
          "--from=" + from, "--to=" + to);
      assertTrue(replayed.contains("Sent "), replayed);

      List<ConsumerRecord<String, String>> predictions = kafka.readUntil(prefix + ".predictions",
          rs -> rs.stream().anyMatch(x -> x.value().contains("\"feature_timestamp\":\"" + to + "\"")), Duration.ofSeconds(120));
      Thread.sleep(3000); // what the last bar's other model and series still publish
      int seen = predictions.size();
      predictions = kafka.readUntil(prefix + ".predictions", rs -> rs.size() >= seen, Duration.ofSeconds(30));
      long champions = predictions.stream().filter(x -> x.value().contains("\"model_role\":\"champion\"")).count();
      assertTrue(champions >= 6, "champion predictions " + champions);

      String tail = run(TailCommand::run, "--bootstrapServers=" + broker.bootstrapServers(), "--topic=" + prefix + ".predictions",
          "--from=earliest", "--role=champion", "--idleSeconds=3");
      List<String> lines = tail.lines().toList();
      assertEquals(champions, lines.size(), tail);
      Set<String> bars = new TreeSet<>();
      for (String line : lines) {
        assertTrue(line.contains("swing-high-v1-1h@1.0.0") && line.contains("champion"), line);
        Matcher bar = Pattern.compile("bar (\\S+)").matcher(line);
        assertTrue(bar.find(), line);
        Instant t = Instant.parse(bar.group(1));
        assertTrue(t.isAfter(from) && !t.isAfter(to), line);
        bars.add(bar.group(1));
      }
      assertEquals(6, bars.size(), "a prediction line for every replayed bar time: " + bars);
      String json = run(TailCommand::run, "--bootstrapServers=" + broker.bootstrapServers(), "--topic=" + prefix + ".predictions",
          "--from=earliest", "--role=challenger", "--json", "--limit=1");
      assertEquals("challenger", JSON.readTree(json.strip()).get("model_role").asText());

      List<ConsumerRecord<String, String>> metrics = kafka.readUntil(prefix + ".metrics",
          rs -> rs.stream().anyMatch(x -> x.value().contains("\"event_type\":\"inference_metrics\"")), Duration.ofSeconds(60));
      assertFalse(metrics.isEmpty());
    }
  }

  @Test
  void anUnreachableBrokerIsReportedRetriedShownOnHealthAndGivenUpOn(@TempDir Path work) throws Exception {
    int port = ChildJvm.freePort();
    List<String> args = new java.util.ArrayList<>(streamArgs("nobroker", "127.0.0.1:1", work, port));
    args.add("--startupWait=12s");
    try (ChildJvm stream = ChildJvm.start(args.toArray(String[]::new))) {
      long start = System.nanoTime();
      stream.awaitLine(l -> l.startsWith("Waiting for the Kafka broker at 127.0.0.1:1"), Duration.ofSeconds(20));
      ChildJvm.Response health = awaitStatus("http://127.0.0.1:" + port + "/health", 503, Duration.ofSeconds(10), stream);
      JsonNode h = JSON.readTree(health.body());
      assertEquals("starting", h.get("status").asText(), health.body());
      assertEquals("the Kafka broker at 127.0.0.1:1", h.get("waiting_for").asText(), health.body());
      assertTrue(h.get("attempts").asInt() >= 1, health.body());
      assertEquals(1, stream.awaitExit(Duration.ofSeconds(60)), stream.output());
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(50).toNanos(), "gave up near --startupWait");
      String out = stream.output();
      assertTrue(out.contains("stream failed: gave up waiting for the Kafka broker at 127.0.0.1:1"), out);
      assertTrue(stream.lines.stream().filter(l -> l.startsWith("Waiting for the Kafka broker")).count() >= 2, "retried: " + out);
      assertFalse(out.contains("\tat ") || out.contains("Exception in thread"), "no stack trace:\n" + out);
    }
  }

  @Test
  void anUnreachableRegistryIsReportedAndGivenUpOn(@TempDir Path work) throws Exception {
    LocalKafkaBroker broker = LocalKafkaBroker.shared();
    List<String> args = new java.util.ArrayList<>(streamArgs("noregistry", broker.bootstrapServers(), work, 0));
    args.removeIf(a -> a.startsWith("--registry="));
    args.add("--registry=http://127.0.0.1:1");
    args.add("--startupWait=3s");
    try (ChildJvm stream = ChildJvm.start(args.toArray(String[]::new))) {
      stream.awaitLine(l -> l.startsWith("Waiting for the model registry at http://127.0.0.1:1"), Duration.ofSeconds(30));
      assertEquals(1, stream.awaitExit(Duration.ofSeconds(60)), stream.output());
      assertTrue(stream.output().contains("gave up waiting for the model registry at http://127.0.0.1:1"), stream.output());
      assertFalse(stream.output().contains("\tat "), stream.output());
    }
  }

  private static ChildJvm.Response awaitStatus(String url, int status, Duration timeout, ChildJvm child) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ChildJvm.Response last = null;
    while (System.nanoTime() < deadline) {
      last = ChildJvm.get(url);
      if (last.status() == status) {
        return last;
      }
      if (!child.process.isAlive()) {
        throw new AssertionError("the command ended:\n" + child.output());
      }
      Thread.sleep(500);
    }
    throw new AssertionError(url + " never answered " + status + " (last: " + last + ")\n" + child.output());
  }
}
