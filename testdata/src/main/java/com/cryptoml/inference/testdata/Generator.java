package com.cryptoml.inference.testdata;

import com.cryptoml.inference.models.export.DenseNetwork;
import com.cryptoml.inference.models.export.FileStoreWriter;
import com.cryptoml.inference.models.export.MlModelWriter;
import com.cryptoml.inference.models.metadata.FeatureStats;
import com.cryptoml.inference.models.metadata.Histogram;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.OutputSpec;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.testdata.MarketSimulator.ExchangeProfile;
import com.cryptoml.inference.testdata.MarketSimulator.SymbolProfile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Regenerates everything under {@code testdata/data}: the MLflow FileStore registry with trained
 * SavedModels, the Parquet feature history and sample feature update events. Deterministic: two
 * runs write identical models (same SHA-256) and identical rows.
 *
 * <pre>
 * mvn -q -pl testdata -am install -DskipTests &amp;&amp; mvn -q -pl testdata exec:java
 * mvn -q -pl testdata exec:java -Dexec.args="--large-rows 1000000 --large-out target/large"
 * </pre>
 */
public final class Generator {
  /** Close time of the last bar of every timeframe. */
  static final Instant END = Instant.parse("2024-04-01T00:00:00Z");
  static final int SIMULATED_DAYS = 1100;
  static final int TRAIN_ROWS_PER_KEY = 5000;
  static final int FEATURE_WARMUP_BARS = 64;
  /** Share of feature values the committed history leaves missing, like a flaky feature job. */
  static final double MISSING_RATE = 0.002;
  static final Map<Timeframe, Duration> HISTORY_WINDOW = new EnumMap<>(Map.of(
      Timeframe.M1, Duration.ofHours(12),
      Timeframe.M5, Duration.ofDays(2),
      Timeframe.M15, Duration.ofDays(5),
      Timeframe.H1, Duration.ofDays(60),
      Timeframe.H4, Duration.ofDays(120),
      Timeframe.D1, Duration.ofDays(365)));

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A bar series with its features, for one symbol, exchange and timeframe. */
  record KeySeries(String symbol, String exchange, Timeframe timeframe, BarSeries bars, double[][] features) {
    int windowStart() {
      return bars.indexAtOrAfter(END.minus(HISTORY_WINDOW.get(timeframe)).toEpochMilli() + 1);
    }
  }

  public static void main(String[] args) throws IOException {
    // exec:java runs inside Maven's JVM, so the module directory comes in as a property.
    Path module = Paths.get(System.getProperty("testdata.dir", "."));
    Path out = module.resolve("data");
    long largeRows = 0;
    Path largeOut = module.resolve("target").resolve("large");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Paths.get(args[++i]);
        case "--large-rows" -> largeRows = Long.parseLong(args[++i]);
        case "--large-out" -> largeOut = Paths.get(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (usage: [--out DIR] [--large-rows N --large-out DIR])");
      }
    }
    long start = System.nanoTime();
    if (largeRows > 0) {
      Path file = LargeHistory.write(largeRows, largeOut);
      System.out.printf("Wrote %d rows to %s in %d s%n", largeRows, file, (System.nanoTime() - start) / 1_000_000_000L);
      return;
    }
    new Generator().generate(out);
    System.out.printf("Regenerated %s in %d s%n", out.toAbsolutePath(), (System.nanoTime() - start) / 1_000_000_000L);
  }

  void generate(Path out) throws IOException {
    List<KeySeries> series = simulateAll();
    ObjectNode manifest = JsonNodeFactory.instance.objectNode();
    manifest.put("end", END.toString());
    manifest.put("generator", Generator.class.getName());
    manifest.set("models", writeRegistry(out.resolve("registry"), series));
    manifest.set("history", writeHistory(out.resolve("history"), series));
    manifest.put("sample_events", writeSamples(out.resolve("events"), series));
    Files.writeString(out.resolve("MANIFEST.json"), JSON.writeValueAsString(manifest) + "\n");
  }

  static List<KeySeries> simulateAll() {
    List<KeySeries> all = new ArrayList<>();
    int minutes = SIMULATED_DAYS * 1440;
    long startMillis = END.toEpochMilli() - minutes * MarketSimulator.MINUTE;
    for (SymbolProfile symbol : MarketSimulator.SYMBOLS) {
      for (ExchangeProfile exchange : MarketSimulator.EXCHANGES) {
        BarSeries oneMinute = MarketSimulator.simulate(symbol, exchange, startMillis, minutes);
        for (Timeframe tf : Timeframe.values()) {
          BarSeries bars = tf == Timeframe.M1 ? oneMinute
              : oneMinute.aggregate(tf.barLength().toMillis(), MarketSimulator.MINUTE);
          long windowStart = END.minus(HISTORY_WINDOW.get(tf)).toEpochMilli();
          bars = bars.slice(bars.indexAtOrAfter(windowStart) - TRAIN_ROWS_PER_KEY - FEATURE_WARMUP_BARS - 16);
          all.add(new KeySeries(symbol.symbol(), exchange.exchange(), tf, bars, Features.compute(bars)));
        }
      }
    }
    return all;
  }

  private ArrayNode writeRegistry(Path registry, List<KeySeries> series) throws IOException {
    deleteTree(registry);
    FileStoreWriter store = new FileStoreWriter(registry, "1", "/srv/mlflow");
    ArrayNode models = JsonNodeFactory.instance.arrayNode();
    for (ModelSpec spec : ModelSpec.catalog()) {
      TrainedModel trained = train(spec, series);
      Path dir = store.newModelArtifactDir(spec.runId(), "model");
      MlModelWriter.write(dir, trained.network(), trained.metadata(), spec.runId());
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("model_type", spec.type().code());
      tags.put("timeframe", spec.timeframe().code());
      tags.put("training_rows", String.valueOf(trained.rows()));
      tags.put("train_accuracy", String.format("%.4f", trained.accuracy()));
      store.registerVersion(spec.name(), spec.version(), spec.runId(), dir, spec.versionLabel(), tags);
      for (String alias : spec.aliases()) {
        store.setAlias(spec.name(), alias, spec.version());
      }
      ObjectNode m = models.addObject();
      m.put("name", spec.name());
      m.put("version", spec.version());
      m.put("version_label", spec.versionLabel());
      m.put("aliases", String.join(",", spec.aliases()));
      m.put("type", spec.type().code());
      m.put("timeframe", spec.timeframe().code());
      m.put("lookback", spec.lookback());
      m.put("training_rows", trained.rows());
      m.put("train_accuracy", Math.round(trained.accuracy() * 10000) / 10000.0);
      System.out.printf("  %-18s v%d (%s) %-18s %-4s rows=%d acc=%.3f%n", spec.name(), spec.version(), spec.versionLabel(),
          spec.type().code(), spec.timeframe(), trained.rows(), trained.accuracy());
    }
    return models;
  }

  /** A trained network, its metadata and how it did on its training rows. */
  record TrainedModel(DenseNetwork network, ModelMetadata metadata, int rows, double accuracy) {}

  static TrainedModel train(ModelSpec spec, List<KeySeries> series) {
    int[] featureIdx = spec.features().stream().mapToInt(Features.NAMES::indexOf).toArray();
    int width = featureIdx.length;
    List<double[][]> windows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (KeySeries ks : series) {
      if (ks.timeframe() != spec.timeframe()) {
        continue;
      }
      int end = ks.windowStart() - spec.horizon() - 1; // labels never peek into the committed window
      int from = Math.max(spec.lookback() - 1, end - TRAIN_ROWS_PER_KEY);
      for (int t = from; t <= end; t++) {
        int label = label(spec, ks, t);
        double[][] window = window(ks.features(), featureIdx, t, spec.lookback());
        if (label >= 0 && window != null) {
          windows.add(window);
          labels.add(label);
        }
      }
    }
    if (windows.size() < 200) {
      throw new IllegalStateException("too few training rows for " + spec.name() + ": " + windows.size());
    }
    // Normalisation statistics and drift histograms from the current bar of every training row.
    double[] mean = new double[width];
    double[] std = new double[width];
    for (double[][] w : windows) {
      for (int j = 0; j < width; j++) {
        mean[j] += w[spec.lookback() - 1][j];
      }
    }
    for (int j = 0; j < width; j++) {
      mean[j] /= windows.size();
    }
    for (double[][] w : windows) {
      for (int j = 0; j < width; j++) {
        double d = w[spec.lookback() - 1][j] - mean[j];
        std[j] += d * d;
      }
    }
    for (int j = 0; j < width; j++) {
      std[j] = Math.max(1e-12, Math.sqrt(std[j] / (windows.size() - 1)));
    }
    float[][] x = new float[windows.size()][width * spec.lookback()];
    int[] y = new int[windows.size()];
    for (int i = 0; i < x.length; i++) {
      double[][] w = windows.get(i);
      for (int b = 0; b < spec.lookback(); b++) {
        for (int j = 0; j < width; j++) {
          x[i][b * width + j] = (float) ((w[b][j] - mean[j]) / std[j]);
        }
      }
      y[i] = labels.get(i);
    }
    DenseNetwork network = new Trainer(spec.hidden(), spec.scalar() ? 1 : 3, spec.seed()).train(x, y);

    ModelMetadata.Builder md = ModelMetadata.builder()
        .modelId(spec.name())
        .modelType(spec.type())
        .timeframe(spec.timeframe())
        .features(spec.features())
        .lookback(spec.lookback())
        .horizonBars(spec.horizon())
        .inputTensor("features")
        .output(spec.scalar() ? OutputSpec.scalar("score", 0.6, 0.4) : OutputSpec.classProbabilities("probabilities", List.of(-1, 0, 1)));
    if (spec.signatureKey() != null) {
      md.signatureDefKey(spec.signatureKey());
    }
    for (int j = 0; j < width; j++) {
      md.normalization(spec.features().get(j), new FeatureStats(round(mean[j]), round(std[j])));
      final int col = j;
      md.histogram(spec.features().get(j), histogram(windows.stream().mapToDouble(w -> w[spec.lookback() - 1][col]).toArray()));
    }
    int correct = 0;
    for (int i = 0; i < x.length; i++) {
      float[] out = network.forward(x[i]);
      int predicted = spec.scalar() ? (out[0] >= 0.5f ? 1 : 0) : argmax(out);
      correct += predicted == y[i] ? 1 : 0;
    }
    // Statistics are rounded before use so the metadata written holds exactly what was trained on.
    return new TrainedModel(network, md.build(), x.length, (double) correct / x.length);
  }

  private static double round(double v) {
    return Double.parseDouble(String.format("%.6g", v));
  }

  private static int label(ModelSpec spec, KeySeries ks, int t) {
    return switch (spec.type()) {
      case SWING_POINTS -> Labels.swing(ks.bars(), t, spec.horizon());
      case VOLATILITY -> Labels.volatilityExpansion(ks.bars(), ks.features(), t, spec.horizon());
      default -> Labels.direction(ks.bars(), ks.features(), t, spec.horizon());
    };
  }

  /** Raw features of bars t-lookback+1..t (oldest first), or null when any is missing. */
  static double[][] window(double[][] features, int[] idx, int t, int lookback) {
    if (t - lookback + 1 < 0) {
      return null;
    }
    double[][] w = new double[lookback][idx.length];
    for (int b = 0; b < lookback; b++) {
      for (int j = 0; j < idx.length; j++) {
        double v = features[t - lookback + 1 + b][idx[j]];
        if (Double.isNaN(v)) {
          return null;
        }
        w[b][j] = v;
      }
    }
    return w;
  }

  /** Decile histogram: edges at the training quantiles (merged where equal). */
  static Histogram histogram(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    List<Double> edges = new ArrayList<>();
    for (int q = 0; q <= 10; q++) {
      double e = round(sorted[(int) Math.min(sorted.length - 1, Math.round(q / 10.0 * (sorted.length - 1)))]);
      if (edges.isEmpty() || e > edges.get(edges.size() - 1)) {
        edges.add(e);
      }
    }
    if (edges.size() < 2) {
      edges.add(edges.get(0) + 1e-9);
    }
    double[] e = edges.stream().mapToDouble(Double::doubleValue).toArray();
    Histogram shape = new Histogram(e, uniform(e.length - 1));
    double[] counts = new double[e.length - 1];
    for (double v : values) {
      counts[shape.binOf(v)]++;
    }
    double[] fractions = new double[counts.length];
    double assigned = 0;
    for (int i = 0; i < counts.length - 1; i++) {
      fractions[i] = round(counts[i] / values.length);
      assigned += fractions[i];
    }
    fractions[counts.length - 1] = Math.max(0, 1 - assigned);
    return new Histogram(e, fractions);
  }

  private static double[] uniform(int n) {
    double[] f = new double[n];
    Arrays.fill(f, 1.0 / n);
    return f;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private ObjectNode writeHistory(Path dir, List<KeySeries> series) throws IOException {
    deleteTree(dir);
    ObjectNode counts = JsonNodeFactory.instance.objectNode();
    for (Timeframe tf : Timeframe.values()) {
      List<FeatureRow> rows = committedRows(series, tf);
      try (HistoryWriter writer = new HistoryWriter(dir.resolve("features-" + tf.code() + ".parquet"))) {
        for (FeatureRow row : rows) {
          writer.write(row);
        }
      }
      counts.put(tf.code(), rows.size());
    }
    return counts;
  }

  /** The committed window of a timeframe, in event-time order, with a few values knocked out. */
  static List<FeatureRow> committedRows(List<KeySeries> series, Timeframe tf) {
    List<FeatureRow> rows = new ArrayList<>();
    for (KeySeries ks : series) {
      if (ks.timeframe() != tf) {
        continue;
      }
      SplittableRandom random = new SplittableRandom((ks.symbol() + ks.exchange() + tf).hashCode());
      for (int t = ks.windowStart(); t < ks.bars().size(); t++) {
        double[] values = ks.features()[t].clone();
        for (int j = 0; j < values.length; j++) {
          if (random.nextDouble() < MISSING_RATE) {
            values[j] = Double.NaN;
          }
        }
        rows.add(new FeatureRow(ks.symbol(), ks.exchange(), tf, ks.bars().closeMillis(t), values));
      }
    }
    rows.sort(Comparator.comparingLong(FeatureRow::closeMillis).thenComparing(FeatureRow::symbol).thenComparing(FeatureRow::exchange));
    return rows;
  }

  /** The last bars of every key and timeframe as feature update JSON lines, in event-time order. */
  private int writeSamples(Path dir, List<KeySeries> series) throws IOException {
    deleteTree(dir);
    Files.createDirectories(dir);
    List<FeatureRow> rows = new ArrayList<>();
    for (Timeframe tf : Timeframe.values()) {
      for (FeatureRow row : committedRows(series, tf)) {
        if (row.closeMillis() > END.toEpochMilli() - 12 * tf.barLength().toMillis()) {
          rows.add(row);
        }
      }
    }
    rows.sort(Comparator.comparingLong(FeatureRow::closeMillis).thenComparing(r -> r.timeframe().ordinal())
        .thenComparing(FeatureRow::symbol).thenComparing(FeatureRow::exchange));
    ObjectMapper compact = new ObjectMapper();
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("feature-updates.jsonl"))) {
      for (FeatureRow row : rows) {
        w.write(compact.writeValueAsString(row.toJson(Features.NAMES)));
        w.write('\n');
      }
    }
    return rows.size();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
