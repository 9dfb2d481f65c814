package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.broker.LocalKafkaBroker;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.runners.Launch;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs the streaming pipeline as {@code ./inference stream} does on the Direct runner (its
 * adaptations included, {@link Launch}) against the real local broker, with topics of its own (a
 * prefix per test) and a private copy of the test registry (so a test can move aliases).
 */
final class StreamingHarness implements AutoCloseable {
  final LocalKafkaBroker broker = LocalKafkaBroker.shared();
  final String prefix;
  final Path registry;
  final StreamOptions options;
  private PipelineResult result;

  StreamingHarness(String prefix, Path work, String models, String... extra) throws IOException {
    this.prefix = prefix;
    this.registry = work.resolve("registry");
    copy(Path.of(PipelineTestData.REGISTRY), registry);
    List<String> args = new ArrayList<>(List.of(
        "--registry=" + registry,
        "--artifactCacheDir=" + work.resolve("artifacts"),
        "--warmupIterations=2",
        "--predictionTimeoutMs=30000",
        "--referenceClock=none",
        "--enabledTimeframes=1h",
        "--models=" + models,
        "--bootstrapServers=" + broker.bootstrapServers(),
        "--featureTopicPrefix=" + prefix + ".features.",
        "--predictionsTopic=" + prefix + ".predictions",
        "--deadLetterTopic=" + prefix + ".dlq",
        "--eventsTopic=" + prefix + ".events",
        "--metricsTopic=" + prefix + ".metrics",
        "--metricsInterval=2s",
        "--driftWindowBars=8",
        "--driftPeriodBars=4",
        "--driftMinSamples=4",
        "--consumerGroup=" + prefix,
        "--startOffset=EARLIEST",
        "--watermarkClock=EVENT",
        "--maxEventDelay=1h",
        "--modelRefreshSeconds=2"));
    for (String e : extra) { // an extra option replaces the default of the same name
      String key = e.substring(0, e.indexOf('=') + 1);
      args.removeIf(a -> a.startsWith(key));
      args.add(e);
    }
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    options = ConfigLoader.options(args.toArray(String[]::new), StreamOptions.class);
    options.as(StreamingOptions.class).setStreaming(true);
    broker.createTopics(KafkaTopics.of(options), 2);
  }

  String topic(String suffix) {
    return prefix + "." + suffix;
  }

  void start() {
    Pipeline p = Pipeline.create(options);
    StreamingPipeline.build(p, options);
    PipelineResult running = Launch.run(p, true).result();
    result = running;
    // The Direct runner reports a failure's cause only through waitUntilFinish: watch for it.
    Thread watcher = new Thread(() -> {
      try {
        running.waitUntilFinish();
      } catch (Throwable e) {
        if (cancelled.contains(running) && rejectedWhileShuttingDown(e)) {
          // Cancelling shuts the runner's pool while its driver may still hand it work: the runner
          // reports that as the pipeline's failure, though it is only the cancel.
          System.out.println("pipeline cancelled (the runner rejected work while shutting down)");
          return;
        }
        failure = e;
        System.out.println("PIPELINE FAILED");
        e.printStackTrace(System.out);
      }
    }, "pipeline-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Stops the running pipeline (a hard stop: no drain), as a crash or a redeploy would. */
  void stop() throws IOException {
    cancelled.add(result);
    result.cancel();
    result.waitUntilFinish(org.joda.time.Duration.standardSeconds(30));
    result = null;
  }

  /** A counter's attempted value summed over steps (0 when not reported). */
  long counter(String name) {
    long sum = 0;
    for (var r : result.metrics().queryMetrics(org.apache.beam.sdk.metrics.MetricsFilter.builder()
        .addNameFilter(org.apache.beam.sdk.metrics.MetricNameFilter.named(
            com.cryptoml.inference.transforms.metrics.InferenceMetrics.NAMESPACE, name)).build()).getCounters()) {
      sum += r.getAttempted();
    }
    return sum;
  }

  /** Names of the Beam metrics the running pipeline reported in the inference namespace. */
  java.util.Set<String> metricNames() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    org.apache.beam.sdk.metrics.MetricQueryResults q = result.metrics().queryMetrics(org.apache.beam.sdk.metrics.MetricsFilter.builder()
        .addNameFilter(org.apache.beam.sdk.metrics.MetricNameFilter.inNamespace(
            com.cryptoml.inference.transforms.metrics.InferenceMetrics.NAMESPACE)).build());
    q.getCounters().forEach(r -> names.add(r.getName().getName()));
    q.getDistributions().forEach(r -> names.add(r.getName().getName()));
    q.getGauges().forEach(r -> names.add(r.getName().getName()));
    return names;
  }

  /** The pipeline's failure, if it failed. */
  volatile Throwable failure;

  /** The pipelines the test cancelled (a test may stop one and start another). */
  private final java.util.Set<PipelineResult> cancelled = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static boolean rejectedWhileShuttingDown(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.RejectedExecutionException) {
        return true;
      }
    }
    return false;
  }

  /** Fails the test with the pipeline's own error when the pipeline failed, rather than with what it missed. */
  void assertNotFailed() {
    if (failure != null) {
      throw new AssertionError("the streaming pipeline failed", failure);
    }
  }

  @Override
  public void close() throws IOException {
    assertNotFailed(); // what failed while the test ran
    if (result != null) {
      cancelled.add(result);
      result.cancel();
    }
    assertNotFailed();
  }

  /** Complete 1h bars of one key from the committed history, oldest first. */
  static List<FeatureUpdate> bars(String symbol, String exchange, int count) throws IOException {
    List<FeatureUpdate> out = new ArrayList<>();
    Path file = PipelineTestData.TESTDATA.resolve("data/history/features-1h.parquet");
    for (GenericRecord r : PipelineTestData.readParquet(file)) {
      if (!r.get("symbol").toString().equals(symbol) || !r.get("exchange").toString().equals(exchange)) {
        continue;
      }
      java.util.Map<String, Double> f = new java.util.HashMap<>();
      for (String name : List.of("ret_1", "ret_4", "ret_12", "rv_24", "rsi_14", "vol_z_24", "dist_high_24", "dist_low_24", "atr_14")) {
        if (r.get(name) != null) {
          f.put(name, (Double) r.get(name));
        }
      }
      if (f.size() == 9) {
        out.add(FeatureUpdate.builder().setEventId(r.get("event_id").toString())
            .setTimestamp(new org.joda.time.Instant((Long) r.get("timestamp"))).setSymbol(symbol).setExchange(exchange)
            .setTimeframe("1h").setFeatureSetVersion("1.0.0").setFeatures(f).setSource("test").setPayload(null).build());
      }
    }
    // A contiguous run near the end of the history.
    List<FeatureUpdate> run = new ArrayList<>();
    for (int i = out.size() - 1; i > 0 && run.size() < count; i--) {
      run.add(0, out.get(i));
      if (out.get(i).getTimestamp().getMillis() - out.get(i - 1).getTimestamp().getMillis() != Timeframe.H1.barLength().toMillis()) {
        run.clear();
      }
    }
    return run;
  }

  static String json(FeatureUpdate u) {
    return EventJson.featureUpdate(u);
  }

  static String key(FeatureUpdate u) {
    return u.getSymbol() + ":" + u.getExchange();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
