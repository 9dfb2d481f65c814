package com.cryptoml.inference.devtools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one benchmark run measured, written as {@code results.json} and printed as one table: the
 * commit and machine it ran on, every figure, and every target as a ratio of two figures of the same
 * run (or a bound on one figure) with whether it was met. The fields are documented in
 * {@code docs/benchmarks.md}.
 */
final class BenchResults {
  static final String FORMAT = "crypto-inference-bench/1";

  /** A measured figure. */
  record Figure(String name, double value, String unit, String what) {}

  /**
   * A target: {@code numerator / denominator} (or {@code numerator} alone when the denominator is null)
   * compared with {@code bound}; {@code floor} names what bounds it when it is out of reach.
   */
  record Target(String name, String what, String numerator, String denominator, String op, double bound, String floor) {}

  /** The targets every run states, whether or not it measured their figures. */
  static final List<Target> TARGETS = List.of(
      new Target("backfill_vs_plain_beam", "backfill rows/s over the plain Beam read+predict+write pipeline's",
          "ours_batch_rows_per_s", "plain_batch_rows_per_s", ">=", 0.5, "plain_batch_rows_per_s"),
      new Target("stream_p99_vs_plain_beam", "stream p99 at 1k events/s over the plain Beam stream pipeline's",
          "ours_stream_1000_p99_ms", "batched_stream_1000_p99_ms", "<=", 2.0, "batched_stream_1000_p99_ms"),
      new Target("stream_sustains_10k", "the stream keeps up with 10,000 events/s over nine keys (1 = sustained)",
          "ours_stream_10000_sustained", null, ">=", 1.0, "ours_stream_10000_machine_busy_cores"),
      new Target("first_prediction_within_10s", "JVM start to the first prediction, ms",
          "startup_ms", null, "<=", 10_000, null),
      new Target("demo_first_30s_p99", "end-to-end p99 over the demo's first 30 s of replay, after its warm-up, ms",
          "demo_first_30s_p99_ms", null, "<=", 500, null));

  /** Ratios printed beside the targets: the other floors, for reading the shortfalls. */
  static final List<String[]> CONTEXT = List.of(
      new String[] {"backfill / raw predictor at batch 32", "ours_batch_rows_per_s", "raw_batch_32_pred_per_s"},
      new String[] {"backfill / hand-written batch", "ours_batch_rows_per_s", "hand_batch_rows_per_s"},
      new String[] {"plain Beam batch / hand-written batch", "plain_batch_rows_per_s", "hand_batch_rows_per_s"},
      new String[] {"plain Beam batch, no write / hand-written", "plain_nowrite_batch_rows_per_s", "hand_batch_rows_per_s"},
      new String[] {"stream p99 at 1k/s / hand-written loop's", "ours_stream_1000_p99_ms", "hand_stream_1000_p99_ms"},
      new String[] {"plain Beam stream p99 / hand-written loop's", "batched_stream_1000_p99_ms", "hand_stream_1000_p99_ms"},
      new String[] {"stream highest rate / hand-written loop's", "ours_stream_max_received_per_s", "hand_stream_max_received_per_s"});

  private final Map<String, Figure> figures = new LinkedHashMap<>();
  private final Map<String, String> settings;
  private final String mode;
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();

  BenchResults(String mode, Map<String, String> settings) {
    this.mode = mode;
    this.settings = new LinkedHashMap<>(settings);
  }

  void put(String name, double value, String unit, String what) {
    if (!Double.isNaN(value)) {
      figures.put(name, new Figure(name, value, unit, what));
    }
  }

  Double get(String name) {
    Figure f = figures.get(name);
    return f == null ? null : f.value();
  }

  /** Keeps the larger of the current and the given value. */
  void max(String name, double value, String unit, String what) {
    Double old = get(name);
    if (old == null || value > old) {
      put(name, value, unit, what);
    }
  }

  /** The target's value in this run, or null when a figure it needs was not measured. */
  Double value(Target t) {
    Double a = get(t.numerator());
    if (a == null) {
      return null;
    }
    if (t.denominator() == null) {
      return a;
    }
    Double b = get(t.denominator());
    return b == null || b == 0 ? null : a / b;
  }

  static boolean met(Target t, double value) {
    return t.op().equals(">=") ? value >= t.bound() : value <= t.bound();
  }

  ObjectNode toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("format", FORMAT);
    root.put("mode", mode);
    root.put("started_at", startedAt.toString());
    root.put("duration_s", Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0);
    root.put("commit", commit());
    ObjectNode machine = root.putObject("machine");
    machine.put("cpu_model", cpuModel());
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memory_mb", memoryMb());
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    ObjectNode s = root.putObject("settings");
    settings.forEach(s::put);
    ObjectNode f = root.putObject("figures");
    for (Figure fig : figures.values()) {
      ObjectNode n = f.putObject(fig.name());
      n.put("value", round(fig.value()));
      n.put("unit", fig.unit());
      n.put("what", fig.what());
    }
    ArrayNode targets = root.putArray("targets");
    for (Target t : TARGETS) {
      ObjectNode n = targets.addObject();
      n.put("name", t.name());
      n.put("what", t.what());
      n.put("numerator", t.numerator());
      if (t.denominator() == null) {
        n.putNull("denominator");
      } else {
        n.put("denominator", t.denominator());
      }
      n.put("op", t.op());
      n.put("bound", t.bound());
      Double v = value(t);
      if (v == null) {
        n.putNull("value");
        n.put("met", false);
        n.put("measured", false);
      } else {
        n.put("value", round(v));
        n.put("met", met(t, v));
        n.put("measured", true);
      }
      if (t.floor() == null) {
        n.putNull("floor");
      } else {
        n.put("floor", t.floor());
      }
    }
    ArrayNode ratios = root.putArray("context_ratios");
    for (String[] r : CONTEXT) {
      Double a = get(r[1]);
      Double b = get(r[2]);
      ObjectNode n = ratios.addObject();
      n.put("what", r[0]);
      n.put("numerator", r[1]);
      n.put("denominator", r[2]);
      if (a == null || b == null || b == 0) {
        n.putNull("value");
      } else {
        n.put("value", round(a / b));
      }
    }
    return root;
  }

  /** Writes {@code results.json} into {@code dir}. */
  Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("results.json");
    String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson());
    Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
    return file;
  }

  /** The same as one table: figures, then targets. */
  void print(PrintStream out) {
    ObjectNode root = toJson();
    out.println();
    out.printf("== results (%s run, commit %s)%n", mode, root.get("commit").asText());
    out.printf("machine: %s, %d cores, %,d MB, %s%n", root.at("/machine/cpu_model").asText(), root.at("/machine/cores").asInt(),
        root.at("/machine/memory_mb").asLong(), root.at("/machine/java").asText());
    out.printf("%-38s %14s  %s%n", "figure", "value", "unit");
    for (Figure f : figures.values()) {
      out.printf("%-38s %14s  %s%n", f.name(), format(f.value()), f.unit());
    }
    out.printf("%n%-30s %10s %10s  %-5s %s%n", "target", "value", "bound", "met", "floor");
    for (Target t : TARGETS) {
      Double v = value(t);
      out.printf("%-30s %10s %10s  %-5s %s%n", t.name(), v == null ? "-" : format(v), t.op() + " " + format(t.bound()),
          v == null ? "n/a" : String.valueOf(met(t, v)), t.floor() == null ? "" : t.floor());
    }
    out.printf("%n%-44s %10s%n", "context ratio", "value");
    for (String[] r : CONTEXT) {
      Double a = get(r[1]);
      Double b = get(r[2]);
      out.printf("%-44s %10s%n", r[0], a == null || b == null || b == 0 ? "-" : format(a / b));
    }
  }

  private static String format(double v) {
    return Math.abs(v) >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
  }

  private static double round(double v) {
    return Math.abs(v) >= 100 ? Math.round(v * 10) / 10.0 : Math.round(v * 1000) / 1000.0;
  }

  /** {@code git rev-parse HEAD}, with {@code -dirty} when the work tree has changes; "unknown" outside a checkout. */
  static String commit() {
    String head = git("rev-parse", "HEAD");
    if (head == null) {
      return "unknown";
    }
    String status = git("status", "--porcelain", "--untracked-files=no");
    return status == null || status.isEmpty() ? head : head + "-dirty";
  }

  private static String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  static long memoryMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
