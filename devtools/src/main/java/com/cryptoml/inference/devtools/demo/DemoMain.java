package com.cryptoml.inference.devtools.demo;

import com.cryptoml.inference.devtools.LatencyStats;
import com.cryptoml.inference.runners.BatchMain;
import com.cryptoml.inference.runners.replay.HistoryReplay;
import com.cryptoml.inference.runners.replay.ReplaySender;

import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.broker.LocalKafkaBroker;
import com.cryptoml.inference.pipelines.streaming.StreamingPipeline;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.streaming.KafkaTopics;
import com.cryptoml.inference.runners.Launch;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import com.cryptoml.inference.runners.monitoring.StreamMonitoring;
import com.cryptoml.inference.runners.startup.StartupStatus;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The local demo: starts a real Kafka broker, creates the topics, runs the streaming pipeline on the
 * Direct runner, replays the committed history into the feature topics in event-time order at an
 * accelerated rate, and shows live progress (events in, predictions per timeframe, end-to-end latency
 * from produce to consume, dead letters, model versions) until {@code --duration} elapses or Ctrl-C;
 * then prints a summary and shuts everything down.
 */
public final class DemoMain {
  static final List<String> DEFAULTS = List.of(
      "--watermarkClock=EVENT",      // replayed history: the watermark follows bar times, not today's clock
      "--referenceClock=none",       // and bar ages are not judged against today either
      "--startOffset=EARLIEST",
      "--maxEventDelay=1m",
      "--modelRefreshSeconds=30",
      "--enforceImmutability=false",
      "--enforceEncodability=false");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DemoOptions options;
  /** Where the demo talks: standard output, or nowhere when the benchmark runs it. */
  private final java.io.PrintStream out;
  /** A terminal gets one progress line rewritten in place; a file or a pipe gets a line per update. */
  private final boolean terminal;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicLong produced = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final Map<String, AtomicLong> predictionsByTimeframe = new ConcurrentHashMap<>();
  private final Map<String, String> versions = new ConcurrentHashMap<>();
  private final Map<String, Long> producedAt = new ConcurrentHashMap<>();
  private final LatencyStats latency = new LatencyStats();
  private final Map<String, String> accuracy = new ConcurrentHashMap<>();
  private final java.util.Set<String> driftAlerts = ConcurrentHashMap.newKeySet();
  private final AtomicLong metricsEvents = new AtomicLong();
  private volatile String lastMetricsEvent;
  private final List<Thread> threads = new ArrayList<>();
  private volatile Throwable pipelineFailure;
  /** Bar time where the measured window starts; predictions of earlier bars are the warm-up's. */
  private volatile long windowStart;
  private volatile boolean measuring;
  private final AtomicLong warmPredictions = new AtomicLong();

  private DemoMain(DemoOptions options, java.io.PrintStream out, boolean terminal) {
    this.options = options;
    this.out = out;
    this.terminal = terminal;
  }

  /** What a demo run measured: predictions read back and their end-to-end latency. */
  public record Outcome(int exitStatus, long predictions, double p50, double p99) {}

  public static int run(String[] args) throws Exception {
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    DemoOptions options = ConfigLoader.options(BatchMain.withDefaults(args, DEFAULTS), DemoOptions.class);
    options.as(StreamingOptions.class).setStreaming(true);
    return new DemoMain(options, System.out, System.console() != null).run().exitStatus();
  }

  private Outcome run() throws Exception {
    Outcome outcome = demo();
    if (options.getOutcomeFile() != null) {
      Files.writeString(Path.of(options.getOutcomeFile()), JSON.writeValueAsString(outcome));
    }
    return outcome;
  }

  private Outcome demo() throws Exception {
    TensorFlowNatives.install();
    Path brokerDir = Path.of(options.getBrokerDir());
    deleteTree(brokerDir);
    out.println("Starting a Kafka 3.9.1 broker (KRaft) ...");
    LocalKafkaBroker broker = LocalKafkaBroker.start(brokerDir);
    Launch.Running running = null;
    StreamMonitoring monitoring = null;
    long started = System.nanoTime();
    try {
      options.setBootstrapServers(broker.bootstrapServers());
      InferenceConfig config = StreamingPipeline.config(options);
      List<String> topics = KafkaTopics.of(options);
      broker.createTopics(topics, 3);
      out.println("Broker " + broker.bootstrapServers() + ", topics " + topics);

      monitoring = StreamMonitoring.start(options, config, new StartupStatus());
      Pipeline p = Pipeline.create(options);
      StreamingPipeline.build(p, options);
      running = Launch.run(p, true);
      PipelineResult result = running.result();
      watch(result);
      monitoring.attach(result);
      if (monitoring.port() > 0) {
        out.println("Monitoring: http://127.0.0.1:" + monitoring.port() + "/metrics (Prometheus), /health, /ready");
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping.set(true)));

      int refs = config.modelRefs().size();
      consume(options.getEventsTopic(), this::onEvent);
      consume(options.getPredictionsTopic(), this::onPrediction);
      consume(options.getDeadLetterTopic(), r -> {
        if (measuring) {
          deadLetters.incrementAndGet();
        }
      });
      consume(options.getMetricsTopic(), this::onMetrics);
      out.println("Loading and warming up " + refs + " model versions ...");
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (versions.size() < refs && System.nanoTime() < deadline && pipelineFailure == null && !stopping.get()) {
        Thread.sleep(200);
      }
      out.println("Serving " + new TreeMap<>(versions));

      List<HistoryReplay.Message> messages = replayWindow();
      warmUp();
      measuring = true;
      long measured = System.nanoTime();
      out.printf("Replaying %,d feature updates (%d h of market time at %dx) for %d s%n", messages.size(),
          options.getReplayHours(), options.getSpeed(), options.getDuration());
      Thread replay = start("replay", () -> replay(messages));
      long end = measured + Duration.ofSeconds(options.getDuration()).toNanos();
      while (System.nanoTime() < end && !stopping.get() && pipelineFailure == null) {
        Thread.sleep(1000);
        printProgress(measured);
        if (!replay.isAlive() && producedAt.size() > 0 && predicted() > 0 && quietFor(measured)) {
          break; // everything replayed and predicted
        }
      }
      if (terminal) {
        out.println();
      }
      stopping.set(true);
      summary(measured, messages.size());
      return new Outcome(pipelineFailure == null ? 0 : 1, predicted(), latency.percentile(50), latency.percentile(99));
    } finally {
      stopping.set(true);
      if (monitoring != null) {
        monitoring.close();
      }
      if (running != null) {
        running.stop();
      }
      for (Thread t : threads) {
        t.join(5000);
      }
      broker.stop();
      out.println("Pipeline cancelled, broker stopped.");
    }
  }

  private long lastPredicted = -1;
  private long quietSince;

  /** True once predictions stopped growing for 5 s after the replay ended. */
  private boolean quietFor(long started) {
    long n = predicted();
    if (n != lastPredicted) {
      lastPredicted = n;
      quietSince = System.nanoTime();
      return false;
    }
    return System.nanoTime() - quietSince > Duration.ofSeconds(5).toNanos();
  }

  private long predicted() {
    return predictionsByTimeframe.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private List<HistoryReplay.Message> replayWindow() throws IOException {
    JsonNode manifest = JSON.readTree(Path.of("testdata/data/MANIFEST.json").toFile());
    long end = Instant.parse(manifest.get("end").asText()).toEpochMilli();
    windowStart = end - Duration.ofHours(options.getReplayHours()).toMillis();
    return HistoryReplay.load(Path.of("testdata/data/history"), windowStart, end);
  }

  /**
   * Warms the whole path before the measured replay: the hours of history before the window go
   * through sources, parsing, history state, batching, the models, the sinks and the quality steps as
   * fast as the broker takes it, and the demo waits until its predictions have come back. A fresh
   * JVM's first seconds are its slowest (classes loading, code not yet compiled, every series' state
   * and timers created), and a live stream would have met its first bars long before.
   */
  private void warmUp() throws Exception {
    if (options.getWarmupHours() <= 0) {
      return;
    }
    List<HistoryReplay.Message> warm = HistoryReplay.load(Path.of("testdata/data/history"),
        windowStart - Duration.ofHours(options.getWarmupHours()).toMillis(), windowStart);
    out.printf("Warming up the whole path with the %d h before the window (%,d feature updates, not measured) ...%n",
        options.getWarmupHours(), warm.size());
    long start = System.nanoTime();
    new ReplaySender(options.getBootstrapServers(), Map.of(), options.getFeatureTopicPrefix()).send(warm, 0, m -> {}, stopping::get);
    long deadline = start + Duration.ofSeconds(90).toNanos();
    long last = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline && !stopping.get() && pipelineFailure == null) {
      Thread.sleep(250);
      long n = warmPredictions.get();
      if (n != last) {
        last = n;
        quietSince = System.nanoTime();
      } else if (n > 0 && System.nanoTime() - quietSince > Duration.ofSeconds(2).toNanos()) {
        break;
      }
    }
    out.printf("Serving is warm: %,d warm-up predictions in %.1f s.%n", warmPredictions.get(), (System.nanoTime() - start) / 1e9);
  }

  private void replay(List<HistoryReplay.Message> messages) {
    try {
      new ReplaySender(options.getBootstrapServers(), Map.of(), options.getFeatureTopicPrefix()).send(messages, options.getSpeed(), m -> {
        producedAt.put(m.symbol() + "|" + m.exchange() + "|" + m.timeframe() + "|" + m.barMillis(), System.currentTimeMillis());
        produced.incrementAndGet();
      }, stopping::get);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void onPrediction(ConsumerRecord<String, String> r) {
    long now = System.currentTimeMillis();
    JsonNode e = parse(r.value());
    if (Instant.parse(e.get("feature_timestamp").asText()).toEpochMilli() <= windowStart) {
      warmPredictions.incrementAndGet(); // the warm-up's, not the measured window's
      return;
    }
    predictionsByTimeframe.computeIfAbsent(e.get("timeframe").asText(), k -> new AtomicLong()).incrementAndGet();
    Long sent = producedAt.get(e.get("symbol").asText() + "|" + e.get("exchange").asText() + "|" + e.get("timeframe").asText()
        + "|" + Instant.parse(e.get("feature_timestamp").asText()).toEpochMilli());
    if (sent != null) {
      latency.add(now - sent);
    }
  }

  private void onEvent(ConsumerRecord<String, String> r) {
    JsonNode e = parse(r.value());
    if (e.get("event_type").asText().equals("model_version_changed")) {
      versions.put(e.get("ref").asText(), e.get("model_version").asText());
    } else {
      out.println((terminal ? "\n" : "") + "  event: " + e.get("event_type").asText() + " " + e.path("ref").asText() + " " + e.path("reason").asText());
    }
  }

  /** Monitoring events: the latest accuracy per model version, drift alerts, metrics events. */
  private void onMetrics(ConsumerRecord<String, String> r) {
    JsonNode e = parse(r.value());
    switch (e.get("event_type").asText()) {
      case "model_accuracy" -> accuracy.put(e.get("model_id").asText() + "@" + e.get("model_version").asText(),
          String.format("%.3f over %d", e.get("accuracy").asDouble(), e.get("outcomes").asLong()));
      case "feature_drift" -> driftAlerts.add(e.get("model_id").asText() + ":" + e.get("feature").asText());
      case "inference_metrics" -> {
        metricsEvents.incrementAndGet();
        lastMetricsEvent = r.value();
      }
      default -> { }
    }
  }

  private void printProgress(long started) {
    double seconds = (System.nanoTime() - started) / 1e9;
    StringBuilder perTf = new StringBuilder();
    for (String tf : List.of("1m", "5m", "15m", "1h", "4h", "1d")) {
      AtomicLong n = predictionsByTimeframe.get(tf);
      perTf.append(' ').append(tf).append('=').append(n == null ? 0 : n.get());
    }
    String line = String.format("[%3.0fs] in %,d | predictions%s | p50 %s p99 %s | dead letters %d | %d models serving", seconds,
        produced.get(), perTf, ms(latency.percentile(50)), ms(latency.percentile(99)), deadLetters.get(), versions.size());
    if (terminal) {
      out.print("\r" + line + "   ");
    } else {
      out.println(line);
    }
    out.flush();
  }

  private void summary(long started, int replayable) {
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf("Summary after %.0f s: %,d of %,d feature updates replayed, %,d predictions, %d dead letters%n",
        seconds, produced.get(), replayable, predicted(), deadLetters.get());
    out.println("  predictions by timeframe: " + new TreeMap<>(Map.copyOf(predictionsByTimeframe)));
    out.printf("  end-to-end latency (produce to consume), %d samples: p50 %s, p99 %s, p99.9 %s, max %s%n", latency.count(),
        ms(latency.percentile(50)), ms(latency.percentile(99)), ms(latency.percentile(99.9)), ms(latency.percentile(100)));
    out.println("  model versions: " + new TreeMap<>(versions));
    out.println("  accuracy so far (realized outcomes): " + (accuracy.isEmpty() ? "none resolved yet" : new TreeMap<>(accuracy)));
    out.println("  feature drift alerts: " + (driftAlerts.isEmpty() ? "none" : new java.util.TreeSet<>(driftAlerts))
        + "; inference_metrics events: " + metricsEvents.get());
    if (lastMetricsEvent != null) {
      out.println("  last inference_metrics event: " + lastMetricsEvent);
    }
    if (pipelineFailure != null) {
      out.println("  the pipeline failed: " + pipelineFailure);
    }
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.0f ms", v);
  }

  private void consume(String topic, java.util.function.Consumer<ConsumerRecord<String, String>> handler) {
    start("consume-" + topic, () -> {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-" + UUID.randomUUID());
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
        consumer.subscribe(List.of(topic));
        while (!stopping.get()) {
          consumer.poll(Duration.ofMillis(100)).forEach(handler);
        }
      }
    });
  }

  private Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return t;
  }

  private void watch(PipelineResult result) {
    start("pipeline-watcher", () -> {
      try {
        result.waitUntilFinish();
      } catch (Throwable e) {
        if (!stopping.get()) {
          pipelineFailure = e;
          out.println((terminal ? "\n" : "") + "The pipeline failed: " + e);
        }
      }
    });
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a directory and everything in it; nothing when it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }
}
