package com.cryptoml.inference.runners;

import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.pipelines.batch.BatchPipeline;
import com.cryptoml.inference.pipelines.batch.BatchPreflight;
import com.cryptoml.inference.pipelines.batch.CompletionEvent;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.batch.ReadFeatureHistory;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import com.cryptoml.inference.runners.direct.DirectRunnerAdaptations;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A backfill on the Direct runner (or any runner named with {@code --runner}). With no request
 * options it runs the embedded default: every 1h and 4h model on BTC, ETH and SOL on all three
 * exchanges for March 2024, from the committed history. Prints a progress line while it runs and a
 * summary at the end.
 */
public final class BatchMain {
  static final List<String> DEFAULTS = List.of(
      "--requestId=demo-backfill",
      "--requestSymbols=BTCUSDT,ETHUSDT,SOLUSDT",
      "--requestExchanges=BINANCE,BYBIT,OKX",
      "--requestTimeframes=1h,4h",
      "--start=2024-03-01T00:00:00Z",
      "--end=2024-04-01T00:00:00Z",
      "--input=testdata/data/history/*.parquet",
      "--output=runs/demo-backfill",
      // Direct runner: its element immutability and encodability checks cost half the throughput and
      // catch nothing the tests do not already catch with them on.
      "--enforceImmutability=false",
      "--enforceEncodability=false");

  private BatchMain() {}

  public static int run(String[] args) throws Exception {
    if (EnvironmentArgs.onDataflow(args)) {
      DataflowBatchMain.main(args); // submits the job; Dataflow's console follows it
      return 0;
    }
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    String[] all = withDefaults(args);
    BatchOptions options = ConfigLoader.options(all, BatchOptions.class);
    TensorFlowNatives.install();
    long startedAt = System.currentTimeMillis();
    BatchPreflight.Checked prepared;
    try {
      prepared = BatchPreflight.check(options);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    System.out.printf("Backfill %s: %s, %d rows in %d file(s); models %s%n", prepared.request().requestId(),
        prepared.request().timeframes(), prepared.input().rows(), prepared.input().files().size(),
        prepared.models().versionLabels());
    Pipeline p = Pipeline.create(options);
    BatchPipeline.build(p, prepared, startedAt);
    long start = System.nanoTime();
    PipelineResult result = Launch.run(p, false).result();
    Progress progress = new Progress(prepared.input().rows());
    PipelineResult.State state;
    try {
      // waitUntilFinish(timeout) answers null while the pipeline still runs.
      while ((state = result.waitUntilFinish(org.joda.time.Duration.standardSeconds(2))) == null || !state.isTerminal()) {
        progress.print(result, start);
      }
      progress.print(result, start);
      progress.end();
    } catch (RuntimeException e) {
      progress.end();
      publishFailure(prepared, e);
      System.err.println("Backfill failed: " + e.getMessage());
      return 1;
    }
    if (state != PipelineResult.State.DONE) {
      System.err.println("Backfill ended in state " + state);
      return 1;
    }
    printSummary(prepared);
    return 0;
  }

  static String[] withDefaults(String[] args) {
    return withDefaults(args, DEFAULTS);
  }

  /** {@code defaults} that {@code args} do not set, then {@code args}; a request file replaces request defaults. */
  public static String[] withDefaults(String[] args, List<String> defaults) {
    List<String> all = new ArrayList<>();
    boolean hasRequest = false;
    for (String a : args) {
      hasRequest |= a.startsWith("--requestFile=");
    }
    for (String d : defaults) {
      String key = d.substring(0, d.indexOf('=') + 1);
      boolean given = false;
      for (String a : args) {
        given |= a.startsWith(key);
      }
      boolean requestField = !key.startsWith("--enforce");
      if (!given && !(hasRequest && requestField)) {
        all.add(d);
      }
    }
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /** The pipeline could not publish its own completion event: say so from here (file sinks only). */
  private static void publishFailure(BatchPreflight.Checked p, RuntimeException e) {
    String sink = p.request().completionSink();
    if (sink.startsWith("file:") && !sink.startsWith("file:gs://")) {
      try {
        String event = CompletionEvent.build(p.request(), new EventJson.Envelope(p.config().options().getEnvironment(),
            p.config().options().getSubEnvironment(), p.config().mode().code()), p.models(), "failed", Map.of(), System.currentTimeMillis(),
            System.currentTimeMillis(), String.valueOf(e.getMessage()));
        Path file = Path.of(sink.substring("file:".length()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, event + "\n");
      } catch (java.io.IOException io) {
        System.err.println("could not write the failure event: " + io.getMessage());
      }
    }
  }

  private static void printSummary(BatchPreflight.Checked p) throws java.io.IOException {
    String sink = p.request().completionSink();
    if (!sink.startsWith("file:")) {
      System.out.println("Completion event published to " + sink);
      return;
    }
    JsonNode c = new ObjectMapper().readTree(Files.readString(Path.of(sink.substring("file:".length()))));
    System.out.printf("Backfill %s %s in %.1f s: %d rows in range, %d predictions, %d dead letters%n",
        c.get("request_id").asText(), c.get("status").asText(), c.get("duration_ms").asLong() / 1000.0,
        c.at("/totals/rows_in").asLong(), c.at("/totals/predicted").asLong(), c.at("/totals/dead_lettered").asLong());
    c.get("counts").fields().forEachRemaining(tf -> {
      System.out.printf("  %-3s rows %-6d", tf.getKey(), tf.getValue().path("rows_in").asLong());
      tf.getValue().path("predicted").fields().forEachRemaining(m -> System.out.printf(" %s=%d", m.getKey(), m.getValue().asLong()));
      tf.getValue().path("dead_lettered").fields().forEachRemaining(d -> System.out.printf(" dead:%s=%d", d.getKey(), d.getValue().asLong()));
      System.out.println();
    });
    System.out.println("  predictions: " + c.at("/output_files/predictions").size() + " Parquet file(s) under "
        + p.request().output() + "predictions/".replaceFirst("^", p.request().output().endsWith("/") ? "" : "/"));
    System.out.println("  completion event: " + sink.substring("file:".length()));
  }

  /** One line, rewritten in place: rows read, predictions written, rate, ETA. */
  static final class Progress {
    private final long totalRows;
    private final boolean terminal = System.console() != null;
    private String last = "";

    Progress(long totalRows) {
      this.totalRows = totalRows;
    }

    /** Ends the rewritten line on a terminal. */
    void end() {
      if (terminal) {
        System.out.println();
      }
    }

    void print(PipelineResult result, long startNanos) {
      long rows = Metrics.counter(result, ReadFeatureHistory.ROWS_READ);
      long predictions = Metrics.counter(result, BatchPipeline.PREDICTIONS_IN_RANGE);
      double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
      double rate = rows / seconds;
      String eta = rows == 0 || rows >= totalRows ? "-" : String.format("%.0f s", (totalRows - rows) / rate);
      String line = String.format("  rows read %,d / %,d | predictions %,d | %,.0f rows/s | ETA %s", rows, totalRows, predictions, rate, eta);
      if (terminal) {
        System.out.print("\r" + line + "   "); // rewritten in place
      } else if (!line.equals(last)) {
        System.out.println(line); // a file or a pipe gets a line per change
      }
      last = line;
      System.out.flush();
    }
  }
}
