package com.cryptoml.inference.devtools.bench;

import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.pipelines.batch.BatchPipeline;
import com.cryptoml.inference.pipelines.batch.BatchPreflight;
import com.cryptoml.inference.pipelines.config.CommandLine;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.runners.Launch;
import com.cryptoml.inference.runners.cli.UsageException;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import org.apache.beam.sdk.Pipeline;
import com.cryptoml.inference.broker.LocalKafkaBroker;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.devtools.demo.DemoMain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.Introspector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark ({@code ./inference bench}): on one machine, in one run, the same model
 * (momentum-v1-1m) and batch size through the raw DJL predictor, the programs a user would write
 * instead (Parquet in and out; consumer, predictor, producer), the least Beam pipelines doing their
 * work (the floors the platform is measured against), and the platform (a backfill; the streaming
 * pipeline on a real broker at fixed rates), then startup, memory and the demo's first 30 s. Every
 * run prints one table and writes {@code results.json} ({@link BenchResults}).
 *
 * <p>{@code --quick} runs in about 5 minutes on a 2-core machine: the predictor at batch 32, a
 * 200,000-row backfill, the streams at 1,000 events/s for 20 s after a 10-s warm-up (and the platform
 * at 10,000 events/s), startup, and the demo in a fresh JVM. Every option is in {@link BenchOptions}.
 */
public final class BenchMain {
  private static final String MODEL = "momentum-v1-1m";
  private static final int BATCH = 32;
  static final String REGISTRY = "testdata/data/registry";

  /** What {@code --quick=true} sets, unless given: about 5 minutes on a 2-core machine. */
  static final Map<String, String> QUICK = Map.ofEntries(
      Map.entry("sections", "raw,batch,stream,startup,demo"),
      Map.entry("rawBatches", "32"),
      Map.entry("largeInput", "testdata/target/large-200k/features-1m-large.parquet"),
      Map.entry("rates", "1000,10000"),
      Map.entry("floorRates", "1000"),
      Map.entry("rateSeconds", "20"),
      Map.entry("warmupSeconds", "10"),
      Map.entry("drainSeconds", "20"),
      Map.entry("freshPerRate", "false"),
      Map.entry("max", "false"),
      Map.entry("plainSources", "batched"),
      Map.entry("demoSeconds", "30"));

  private final Map<String, String> options = new LinkedHashMap<>();
  private final BenchResults results;
  private final Path work;
  private final String registry;

  private BenchMain(String[] args) {
    PipelineOptionsFactory.register(BenchOptions.class);
    BenchOptions parsed = CommandLine.parse(args, BenchOptions.class); // unknown or malformed options: a plain error
    Set<String> given = new HashSet<>();
    for (String a : args) {
      given.add(a.substring(2, a.contains("=") ? a.indexOf('=') : a.length()));
    }
    // Every option's value as text: given, else --quick's, else the interface's default.
    Method[] getters = BenchOptions.class.getDeclaredMethods();
    Arrays.sort(getters, Comparator.comparing(Method::getName));
    for (Method m : getters) {
      if (m.getParameterCount() == 0 && m.getAnnotation(Description.class) != null) {
        String name = Introspector.decapitalize(m.getName().substring(3));
        String quick = parsed.getQuick() && !given.contains(name) ? QUICK.get(name) : null;
        Object value = invoke(m, parsed);
        options.put(name, quick != null ? quick : value != null ? String.valueOf(value) : "");
      }
    }
    work = Path.of(options.get("work"));
    options.computeIfPresent("registry", (k, v) -> v.isEmpty() ? REGISTRY : v);
    registry = options.get("registry");
    results = new BenchResults(Boolean.parseBoolean(options.get("quick")) ? "quick" : "full", options);
  }

  public static int run(String[] args) throws Exception {
    return new BenchMain(args).run();
  }

  private static Object invoke(Method getter, BenchOptions options) {
    try {
      return getter.invoke(options);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(getter.getName(), e);
    }
  }

  private int run() throws Exception {
    TensorFlowNatives.install();
    Files.createDirectories(work);
    Set<String> sections = Set.of(options.get("sections").split(","));
    for (String s : sections) {
      if (!Set.of("raw", "batch", "stream", "startup", "memory", "demo").contains(s)) {
        throw new UsageException("unknown section " + s + " (raw, batch, stream, startup, memory, demo)");
      }
    }
    System.out.printf("Benchmark on %s: %d cores, max heap %d MB, %s%n", System.getProperty("os.name"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, Instant.now());
    String cache = work.resolve("artifacts").toString();
    try (PlainPredictor model = PlainPredictor.open(registry, MODEL, cache)) {
      if (sections.contains("raw")) {
        raw(model);
      }
      if (sections.contains("batch")) {
        batch(model);
      }
    }
    if (sections.contains("stream") || sections.contains("startup") || sections.contains("memory")) {
      Path brokerDir = work.resolve("broker");
      DemoMain.deleteTree(brokerDir);
      try (LocalKafkaBroker broker = LocalKafkaBroker.start(brokerDir)) {
        if (sections.contains("stream")) {
          stream(broker, cache);
        }
        if (sections.contains("startup")) {
          startup(broker);
        }
        if (sections.contains("memory")) {
          memory(broker, cache);
        }
      }
    }
    if (sections.contains("demo")) {
      demo();
    }
    summary();
    results.print(System.out);
    System.out.println("\nWrote " + results.write(work));
    return 0;
  }

  /** The results of a run of {@code args} in this JVM, written to {@code --work}/results.json; for tests. */
  static BenchResults runForResults(String[] args) throws Exception {
    BenchMain bench = new BenchMain(args);
    bench.run();
    return bench.results;
  }

  /** {@code --childJavaOptions}: JVM options for the fresh JVMs of startup and the demo, e.g. a JFR recording. */
  private List<String> childJavaOptions() {
    String o = options.get("childJavaOptions").trim();
    return o.isEmpty() ? List.of() : List.of(o.split("\\s+"));
  }

  // 7. The live stream's first minute, as a user meets it: the demo in a fresh JVM, end to end, from a cold pipeline.
  private void demo() throws Exception {
    int seconds = Integer.parseInt(options.get("demoSeconds"));
    System.out.printf("%n== demo: ./inference demo --duration=%d in a fresh JVM (own broker, cold pipeline, end to end)%n", seconds);
    Path outcomeFile = work.resolve("demo-outcome.json");
    Files.deleteIfExists(outcomeFile);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx4g", "-Dai.djl.offline=true", "-Dcom.google.protobuf.use_unsafe_pre22_gencode=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    command.addAll(childJavaOptions());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        com.cryptoml.inference.devtools.DevMain.class.getName(), "demo", "--duration=" + seconds,
        "--brokerDir=" + work.resolve("demo-broker"), "--registry=" + registry, "--outcomeFile=" + outcomeFile));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("demo.log").toFile()).start();
    if (!child.waitFor(seconds + 180L, java.util.concurrent.TimeUnit.SECONDS)) {
      child.destroyForcibly();
      System.out.println("  the demo did not finish; see " + work.resolve("demo.log"));
      return;
    }
    if (!Files.isRegularFile(outcomeFile)) {
      System.out.println("  the demo wrote no outcome (exit " + child.exitValue() + "); see " + work.resolve("demo.log"));
      return;
    }
    JsonNode outcome = new ObjectMapper().readTree(outcomeFile.toFile());
    results.put("demo_first_30s_p50_ms", outcome.get("p50").asDouble(), "ms", "demo end-to-end p50 over " + seconds + " s of replay, after its warm-up");
    results.put("demo_first_30s_p99_ms", outcome.get("p99").asDouble(), "ms", "demo end-to-end p99 over " + seconds + " s of replay, after its warm-up");
    results.put("demo_predictions", outcome.get("predictions").asDouble(), "predictions", "predictions the demo read back");
    System.out.printf("  %,d predictions, end-to-end p50 %.0f ms, p99 %.0f ms (output: %s)%n", outcome.get("predictions").asLong(),
        outcome.get("p50").asDouble(), outcome.get("p99").asDouble(), work.resolve("demo.log"));
  }

  // 1. The limit: the predictor in a tight loop.
  private void raw(PlainPredictor model) throws Exception {
    System.out.println("\n== raw DJL predictor, one thread");
    SplittableRandom r = new SplittableRandom(5);
    long measureNanos = (long) (Double.parseDouble(options.get("rawSeconds")) * 1e9);
    for (String b : options.get("rawBatches").split(",")) {
      int batch = Integer.parseInt(b.trim());
      float[] buffer = new float[batch * model.width];
      for (int i = 0; i < buffer.length; i++) {
        buffer[i] = (float) r.nextGaussian();
      }
      long done = 0;
      long start = 0;
      for (int pass = 0; pass < 2; pass++) { // the first pass warms up
        start = System.nanoTime();
        done = 0;
        long end = start + (pass == 0 ? Math.min(2_000_000_000L, measureNanos) : measureNanos);
        while (System.nanoTime() < end) {
          model.predict(buffer, batch);
          done += batch;
        }
      }
      double rate = done / ((System.nanoTime() - start) / 1e9);
      results.put("raw_batch_" + batch + "_pred_per_s", rate, "predictions/s", "the DJL predictor in a tight loop, batch " + batch);
      System.out.printf("  batch %3d: %,12.0f predictions/s%n", batch, rate);
    }
  }

  // 2a and 3. Batch: the hand-written Parquet program against the backfill, same file.
  private void batch(PlainPredictor model) throws Exception {
    Path input = Path.of(options.get("largeInput"));
    if (!Files.isRegularFile(input)) {
      throw new IllegalStateException(input + " is missing: mvn -q -B -pl testdata exec:java -Dexec.args=\"--large-rows 1000000\"");
    }
    System.out.println("\n== batch over " + input + " (" + (Files.size(input) >> 20) + " MB)");
    HandWrittenBatch.Result hand = null;
    for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT and the page cache
      hand = HandWrittenBatch.run(model, input, work.resolve("hand-written/predictions.parquet"), BATCH);
    }
    results.put("hand_batch_rows_per_s", hand.rowsPerSecond(), "rows/s", "hand-written Parquet -> predictor -> Parquet program");
    System.out.printf("  hand-written (Parquet -> predictor batch %d -> Parquet): %,d rows, %,d predictions in %.1f s = %,.0f rows/s%n",
        BATCH, hand.rowsIn(), hand.predictions(), hand.seconds(), hand.rowsPerSecond());

    if (Boolean.parseBoolean(options.get("plain"))) {
      String cache = work.resolve("artifacts").toString();
      PlainPredictor.shared(registry, MODEL, cache).close(); // loaded before the clock starts, as for the hand-written program
      if (!Boolean.parseBoolean(options.get("quick"))) {
        plainBatch(cache, input, null, "plain_nowrite_batch_rows_per_s",
            "plain Beam (the hand-written work as the least Beam pipeline, Direct runner), predictions dropped");
      }
      Path plainOutput = work.resolve("plain-beam");
      DemoMain.deleteTree(plainOutput);
      plainBatch(cache, input, plainOutput, "plain_batch_rows_per_s",
          "plain Beam, predictions written by FileIO.write() and ParquetIO.sink");
    }

    Path output = work.resolve("backfill");
    DemoMain.deleteTree(output);
    List<String> backfillArgs = new ArrayList<>(List.of(
        "--requestId=bench-backfill", "--requestSymbols=BTCUSDT,ETHUSDT,SOLUSDT", "--requestExchanges=BINANCE,BYBIT,OKX",
        "--requestTimeframes=1m", "--requestModels=" + MODEL, "--start=2000-01-01T00:00:00Z", "--end=2100-01-01T00:00:00Z",
        "--input=" + input, "--output=" + output, "--registry=" + registry, "--artifactCacheDir=" + work.resolve("artifacts"), "--batchSize=" + BATCH,
        "--enforceImmutability=false", "--enforceEncodability=false"));
    backfillArgs.addAll(pipelineArgs());
    String[] args = backfillArgs.toArray(String[]::new);
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    BatchOptions o = ConfigLoader.options(args, BatchOptions.class);
    long startedAt = System.currentTimeMillis();
    BatchPreflight.Checked checked = BatchPreflight.check(o);
    Pipeline p = Pipeline.create(o);
    BatchPipeline.build(p, checked, startedAt);
    long start = System.nanoTime();
    Launch.run(p, false).result().waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    JsonNode done = new ObjectMapper().readTree(Files.readString(output.resolve("batch_completed.json")));
    long rows = done.at("/totals/rows_in").asLong();
    long predicted = done.at("/totals/predicted").asLong();
    results.put("ours_batch_rows_per_s", rows / seconds, "rows/s", "the platform's backfill (quality and report included)");
    results.put("ours_batch_rows", rows, "rows", "rows in the backfill's range");
    System.out.printf("  ours (backfill, Direct runner, quality and report included): %,d rows, %,d predictions, %,d dead letters in %.1f s"
        + " = %,.0f rows/s%n", rows, predicted, done.at("/totals/dead_lettered").asLong(), seconds, rows / seconds);
  }

  private void plainBatch(String cache, Path input, Path output, String figure, String label) {
    HandWrittenBatch.Result r = PlainBeamBatch.run(registry, MODEL, cache, input, output, BATCH);
    results.put(figure, r.rowsPerSecond(), "rows/s", label);
    System.out.printf("  %s: %,d rows, %,d predictions in %.1f s = %,.0f rows/s%n", label, r.rowsIn(), r.predictions(), r.seconds(),
        r.rowsPerSecond());
  }

  // 2b and 4. Streaming: the hand-written loop against the pipeline, same broker and load.
  private void stream(LocalKafkaBroker broker, String cache) throws Exception {
    List<Integer> rates = new ArrayList<>();
    for (String r : options.get("rates").split(",")) {
      rates.add(Integer.parseInt(r.trim()));
    }
    if (Boolean.parseBoolean(options.get("max"))) {
      rates.add(0); // as fast as it goes
    }
    int seconds = Integer.parseInt(options.get("rateSeconds"));
    int warmup = Integer.parseInt(options.get("warmupSeconds"));
    int drain = Integer.parseInt(options.get("drainSeconds"));
    long firstBar = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    // The floors (hand-written loop, plain Beam pipeline) run at --floorRates, or at every rate when it is empty.
    List<Integer> floorRates = new ArrayList<>();
    for (String r : options.get("floorRates").split(",")) {
      if (!r.isBlank()) {
        floorRates.add(Integer.parseInt(r.trim()));
      }
    }
    if (floorRates.isEmpty()) {
      floorRates = rates;
    }
    if (Boolean.parseBoolean(options.get("hand"))) {
      handStream(broker, cache, floorRates, seconds, warmup, drain, firstBar);
    }
    if (Boolean.parseBoolean(options.get("plain"))) {
      plainStream(broker, cache, floorRates, seconds, warmup, drain, firstBar);
    }
    if (Boolean.parseBoolean(options.get("ours"))) {
      oursStream(broker, cache, rates, seconds, warmup, drain, firstBar);
    }
  }

  private void handStream(LocalKafkaBroker broker, String cache, List<Integer> rates, int seconds, int warmup, int drain, long firstBar)
      throws Exception {
    System.out.println("\n== streaming: hand-written consumer -> predictor -> producer");
    broker.createTopics(List.of("hand.features.1m", "hand.predictions"), 3);
    try (PlainPredictor model = PlainPredictor.open(registry, MODEL, cache);
        HandWrittenStream hand = new HandWrittenStream(model, broker.bootstrapServers(), "hand.features.1m", "hand.predictions", BATCH)) {
      StreamLoad load = new StreamLoad(broker.bootstrapServers(), "hand.features.1m", "hand.predictions", firstBar, symbols());
      awaitFlow(load, "hand");
      warmUp(load, rates, warmup);
      boolean keptUp = true;
      for (int rate : rates) {
        if (rate > 0 && !keptUp) {
          System.out.printf("  hand    rate %5d/s: skipped, a lower rate was not sustained%n", rate);
          continue;
        }
        StreamLoad.Result r = load.run(rate, seconds, Math.min(30, drain));
        report("hand", r);
        keptUp &= r.sustained() || !skipAfterMiss();
      }
    }
  }

  private void plainStream(LocalKafkaBroker broker, String cache, List<Integer> rates, int seconds, int warmup, int drain, long firstBar)
      throws Exception {
    for (String name : options.get("plainSources").split(",")) {
      PlainBeamStream.Source source = PlainBeamStream.Source.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
      int passThrough = source == PlainBeamStream.Source.BATCHED ? Integer.parseInt(options.get("plainPassThrough")) : 0;
      // With pass-through steps it is no longer the floor: its own name keeps it out of the ratios.
      String who = source == PlainBeamStream.Source.KAFKAIO ? "plain" : passThrough == 0 ? "batched" : "batched-pass" + passThrough;
      System.out.println("\n== streaming: " + who + " (the hand-written loop's work as the least Beam pipeline, Direct runner, read by "
          + (source == PlainBeamStream.Source.KAFKAIO ? "KafkaIO.read()" : "the platform's batched source") + "; a fresh pipeline and"
          + " topics per rate)");
      PlainPredictor.shared(registry, MODEL, cache).close();
      boolean keptUp = true;
      for (int rate : rates) {
        if (rate > 0 && !keptUp) {
          System.out.printf("  %-7s rate %5d/s: skipped, a lower rate was not sustained%n", who, rate);
          continue;
        }
        try (PlainBeamStream plain = new PlainBeamStream(broker, who + "-" + (rate == 0 ? "max" : rate), source, registry, MODEL,
            cache, BATCH, passThrough)) {
          StreamLoad load = new StreamLoad(broker.bootstrapServers(), plain.featureTopic, plain.predictionsTopic, firstBar, symbols());
          awaitFlow(load, who);
          warmUp(load, List.of(rate), warmup);
          plain.check();
          StreamLoad.Result r = load.run(rate, seconds, drain);
          plain.check();
          report(who, r);
          keptUp &= r.sustained() || !skipAfterMiss();
        }
      }
    }
  }

  private void oursStream(LocalKafkaBroker broker, String cache, List<Integer> rates, int seconds, int warmup, int drain, long firstBar)
      throws Exception {
    boolean fresh = Boolean.parseBoolean(options.get("freshPerRate"));
    System.out.println("\n== streaming: ours (streaming pipeline, Direct runner; " + (fresh ? "a fresh pipeline and topics per rate"
        : "one pipeline for every rate, after a " + warmup + "-s warm-up") + ")");
    boolean keptUp = true;
    OursStream shared = null;
    StreamLoad sharedLoad = null;
    try {
      for (int rate : rates) {
        if (rate > 0 && !keptUp) {
          System.out.printf("  ours    rate %5d/s: skipped, a lower rate was not sustained%n", rate);
          continue;
        }
        OursStream ours = shared;
        StreamLoad load = sharedLoad;
        if (ours == null) {
          ours = new OursStream(broker, "bench-" + (fresh ? (rate == 0 ? "max" : String.valueOf(rate)) : "all"), cache, "latest",
              Boolean.parseBoolean(options.get("quality")), symbols(), pipelineArgs());
          load = new StreamLoad(broker.bootstrapServers(), ours.featureTopic, ours.predictionsTopic, firstBar, symbols());
          awaitFlow(load, "ours");
          warmUp(load, rates, warmup);
          if (!fresh) {
            shared = ours;
            sharedLoad = load;
          }
        }
        try {
          StreamLoad.Result r = load.run(rate, seconds, drain);
          report("ours", r);
          keptUp &= r.sustained() || !skipAfterMiss();
        } finally {
          if (fresh) {
            ours.close();
          }
        }
      }
    } finally {
      if (shared != null) {
        shared.close();
      }
    }
  }

  /** Waits (at most two minutes) for the program under test to answer, or fails the run saying which. */
  private static void awaitFlow(StreamLoad load, String who) throws InterruptedException {
    if (!load.awaitFlow(120)) {
      throw new IllegalStateException(who + ": no prediction within 120 s of the first feature update");
    }
  }

  /**
   * {@code --warmupSeconds} at the first of {@code rates} (1,000/s when it is "as fast as it goes"),
   * unmeasured; a backlog it leaves shows in the measured run that follows.
   */
  private static void warmUp(StreamLoad load, List<Integer> rates, int seconds) throws InterruptedException {
    if (seconds > 0) {
      int rate = rates.isEmpty() || rates.get(0) == 0 ? 1000 : rates.get(0);
      load.run(rate, seconds, 5);
    }
  }

  /** Whether a rate after one that was not sustained is skipped ({@code --skipAfterMiss=true}; false runs every rate). */
  private boolean skipAfterMiss() {
    return Boolean.parseBoolean(options.get("skipAfterMiss"));
  }

  /** The stream load's symbols ({@code --symbols}, each on three exchanges). */
  private List<String> symbols() {
    return StreamLoad.symbols(Integer.parseInt(options.get("loadSymbols")));
  }

  /** The platform's pipeline options beyond the benchmark's own: {@code --pipelineArgs}. */
  private List<String> pipelineArgs() {
    List<String> args = new ArrayList<>();
    for (String a : options.get("pipelineArgs").split(";")) {
      if (!a.isBlank()) {
        args.add(a.trim());
      }
    }
    return args;
  }

  private void report(String who, StreamLoad.Result r) {
    String rate = r.rate() == 0 ? "max" : String.valueOf(r.rate());
    System.out.printf("  %-7s rate %5s/s: sent %,7d, predicted %,7d (%,.0f/s), behind by %,d when sending stopped; "
        + "latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms%s%n", who, rate, r.sent(), r.received(), r.receivedPerSecond(),
        r.backlogWhenSendingStopped(), r.latency().percentile(50), r.latency().percentile(99), r.latency().percentile(99.9),
        r.rate() > 0 && r.sustained() ? " (sustained)" : "");
    System.out.printf("          CPU while sending: %s%n", r.cpu());
    String key = who + "_stream_" + rate;
    String what = who + " stream at " + (r.rate() == 0 ? "its highest rate" : r.rate() + " events/s");
    results.put(key + "_received_per_s", r.receivedPerSecond(), "predictions/s", what + ": predictions read per second");
    if (!Double.isNaN(r.cpu().machineCores())) {
      results.put(key + "_machine_busy_cores", r.cpu().machineCores(), "cores",
          what + ": cores of the machine busy while sending, of " + r.cpu().cores());
    }
    results.put(key + "_p50_ms", r.latency().percentile(50), "ms", what + ": produce-to-consume p50");
    results.put(key + "_p99_ms", r.latency().percentile(99), "ms", what + ": produce-to-consume p99");
    results.put(key + "_p999_ms", r.latency().percentile(99.9), "ms", what + ": produce-to-consume p99.9");
    if (r.rate() > 0) {
      results.put(key + "_sustained", r.sustained() ? 1 : 0, "boolean", what + ": kept up (1) or fell behind (0)");
    }
    if (r.rate() > 0 && r.sustained()) {
      results.max(who + "_sustained_rate", r.rate(), "events/s", who + " stream: highest fixed rate kept up with");
    }
  }

  // 5. Startup: a fresh JVM, one event waiting, time to its prediction.
  private void startup(LocalKafkaBroker broker) throws Exception {
    System.out.println("\n== startup (fresh JVM, natives extracted, model download, checks and warm-up included)");
    // Two fresh JVMs, each with its own topics and model cache: the first records the class data sharing
    // archive that ./inference keeps for each build (docs/decisions/class-data-sharing.md), the second
    // starts from it, as every run after a build's first does.
    Path archive = work.resolve("startup-classes.jsa");
    Files.deleteIfExists(archive);
    Double cold = startupProbe(broker, "startup-cold", "-XX:ArchiveClassesAtExit=" + archive);
    if (cold == null) {
      return;
    }
    results.put("startup_recording_archive_ms", cold, "ms", "fresh JVM start to the first prediction while recording the class archive (a build's first run)");
    Double warm = Files.isRegularFile(archive) ? startupProbe(broker, "startup", "-XX:SharedArchiveFile=" + archive) : null;
    if (warm == null) {
      System.out.printf("  JVM start to first prediction: %.0f ms; no class archive was recorded (the class path must be jars)%n", cold);
      return;
    }
    results.put("startup_ms", warm, "ms", "fresh JVM start to the first prediction read back, from the build's class archive");
    System.out.printf("  JVM start to first prediction: %.0f ms (%.0f ms on a build's first run, which records the class archive)%n",
        warm, cold);
  }

  /** One fresh JVM from its start to the first prediction it reads back (in ms), or null if none came. */
  private Double startupProbe(LocalKafkaBroker broker, String prefix, String classArchive) throws Exception {
    broker.createTopics(List.of(prefix + ".features.1m", prefix + ".predictions", prefix + ".dlq", prefix + ".events",
        prefix + ".metrics"), 1);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.send(new ProducerRecord<>(prefix + ".features.1m", "BTCUSDT:BINANCE",
          StreamLoad.event("BTCUSDT", "BINANCE", Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(), new SplittableRandom(1)))).get();
    }
    Path artifacts = work.resolve(prefix + "-artifacts");
    DemoMain.deleteTree(artifacts);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", classArchive, "-Xlog:cds*=off", "-Dai.djl.offline=true", "-Dcom.google.protobuf.use_unsafe_pre22_gencode=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    command.addAll(childJavaOptions());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        StartupProbe.class.getName(), broker.bootstrapServers(), prefix, artifacts.toString()));
    command.addAll(pipelineArgs());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String reported = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("FIRST_PREDICTION_MS ")) {
          reported = line.substring("FIRST_PREDICTION_MS ".length());
        }
      }
    }
    // The probe halts once it has read a prediction; the JVM writes a recorded archive as it exits.
    if (!child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      child.destroyForcibly();
    }
    if (reported == null) {
      System.out.println("  no prediction from the child process");
      return null;
    }
    return Double.parseDouble(reported);
  }

  // 6. Memory: heap and resident set of this JVM over a long run at a fixed rate.
  private void memory(LocalKafkaBroker broker, String cache) throws Exception {
    int minutes = Integer.parseInt(options.get("memoryMinutes"));
    int rate = Integer.parseInt(options.get("memoryRate"));
    System.out.printf("%n== memory: ours at %d events/s for %d min (heap and RSS of this JVM every 10 s)%n", rate, minutes);
    try (OursStream ours = new OursStream(broker, "memory", cache, "latest", Boolean.parseBoolean(options.get("quality")),
        symbols(), pipelineArgs())) {
      StreamLoad load = new StreamLoad(broker.bootstrapServers(), ours.featureTopic, ours.predictionsTopic,
          Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(), symbols());
      awaitFlow(load, "memory");
      List<long[]> samples = new ArrayList<>();
      Thread sampler = new Thread(() -> {
        long t0 = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
          Runtime rt = Runtime.getRuntime();
          long[] s = {(System.nanoTime() - t0) / 1_000_000_000L, (rt.totalMemory() - rt.freeMemory()) >> 20, rssMb()};
          synchronized (samples) {
            samples.add(s);
          }
          System.out.printf("  t=%4d s heap %5d MB rss %5d MB%n", s[0], s[1], s[2]);
          try {
            Thread.sleep(10_000);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "memory-sampler");
      sampler.setDaemon(true);
      sampler.start();
      StreamLoad.Result r = load.run(rate, minutes * 60, 60);
      sampler.interrupt();
      report("ours", r);
      System.out.printf("  predictions read late, by 10-s window:%s%n", r.lateTimeline());
      System.out.printf("  after the first %d s (the JIT's warm-up): p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms over %,d predictions%n",
          StreamLoad.WARMUP_SECONDS, r.steady().percentile(50), r.steady().percentile(99), r.steady().percentile(99.9),
          r.steady().count());
      synchronized (samples) {
        long[] afterMinute = samples.stream().filter(s -> s[0] >= 60).findFirst().orElse(samples.get(0));
        long[] last = samples.get(samples.size() - 1);
        long maxRss = samples.stream().mapToLong(s -> s[2]).max().orElse(0);
        double growth = 100.0 * (last[2] - afterMinute[2]) / afterMinute[2];
        results.put("memory_rss_after_1min_mb", afterMinute[2], "MB", "resident set after the first minute");
        results.put("memory_rss_end_mb", last[2], "MB", "resident set at the end");
        results.put("memory_rss_growth_pct", growth, "%", "resident set growth after the first minute");
        System.out.printf("  RSS %d MB after the first minute, %d MB at the end (max %d MB): %+.1f%%; heap at the end %d MB%n",
            afterMinute[2], last[2], maxRss, growth, last[1]);
      }
    }
  }

  private static long rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  /** The memory section's lines that the results table does not show as figures. */
  private void summary() {
    if (results.get("memory_rss_growth_pct") != null) {
      System.out.printf("%n  RSS growth after the first minute: %s %% (target < 10)%n", format(results.get("memory_rss_growth_pct")));
    }
  }

  private static String format(Double v) {
    return v == null ? "-" : String.format("%,.1f", v);
  }
}
