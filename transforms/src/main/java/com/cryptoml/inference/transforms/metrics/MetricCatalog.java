package com.cryptoml.inference.transforms.metrics;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every metric the platform reports: its Beam name (or name prefix, whose suffix is a label value),
 * kind, unit and meaning. The Prometheus endpoint names and documents its series from here, and the
 * README's metric table is this catalog (a test keeps them equal).
 */
public final class MetricCatalog {
  private MetricCatalog() {}

  public enum Kind {
    COUNTER,
    DISTRIBUTION,
    /** A distribution plus bucket counters ({@link LatencyHistogram}). */
    HISTOGRAM,
    GAUGE
  }

  /**
   * One metric. {@code labels} is empty for a plain name; for a prefix it names the label(s) its
   * suffix carries, several separated by {@code :} in both the labels and the suffix.
   */
  public record Spec(String name, String labels, Kind kind, String unit, String meaning, boolean runnerOnly) {
    public boolean isPrefix() {
      return !labels.isEmpty();
    }

    /** The Prometheus family: {@code inference_<name>} (not doubled), counters with {@code _total}. */
    public String prometheusName() {
      String stem = isPrefix() ? name.substring(0, name.length() - 1) : name;
      String base = stem.startsWith("inference_") ? stem : "inference_" + stem;
      return kind == Kind.COUNTER ? base + "_total" : base;
    }

    public boolean matches(String beamName) {
      return isPrefix() ? beamName.startsWith(name) && beamName.length() > name.length() : beamName.equals(name);
    }
  }

  private static Spec counter(String name, String labels, String unit, String meaning) {
    return new Spec(name, labels, Kind.COUNTER, unit, meaning, false);
  }

  private static Spec gauge(String name, String labels, String unit, String meaning) {
    return new Spec(name, labels, Kind.GAUGE, unit, meaning, false);
  }

  public static final List<Spec> ALL = List.of(
      counter(InferenceMetrics.FEATURE_EVENTS_IN, "timeframe", "events", "Feature updates parsed, per timeframe."),
      counter(InferenceMetrics.PREDICTIONS_TF, "timeframe", "predictions", "Predictions made, per timeframe (throughput)."),
      counter(InferenceMetrics.PREDICTIONS_OUT, "model", "predictions", "Predictions made, per model id."),
      counter(InferenceMetrics.DEAD_LETTERS, "reason", "records", "Dead letters, per reason code (error rate by reason)."),
      counter(InferenceMetrics.IMPUTATIONS, "model", "inputs", "Model inputs with at least one imputed value."),
      counter(InferenceMetrics.NUM_INFERENCES, "", "rows", "Rows through model calls (RunInference's name)."),
      counter(InferenceMetrics.CACHE_HITS, "", "calls", "Model calls served by an already loaded version."),
      counter(InferenceMetrics.CACHE_MISSES, "", "calls", "Model calls that loaded their version first."),
      counter(InferenceMetrics.TIMEOUT_RETRIES, "", "calls", "Backfill: model calls run again after a timeout (batch_timeout_retries)."),
      new Spec(InferenceMetrics.BATCH_LATENCY, "", Kind.DISTRIBUTION, "microseconds", "Duration of one model call (RunInference's name).", false),
      new Spec(InferenceMetrics.BATCH_SIZE, "", Kind.DISTRIBUTION, "rows", "Rows per model call (RunInference's name).", false),
      new Spec(InferenceMetrics.LOAD_MODEL_LATENCY, "", Kind.DISTRIBUTION, "milliseconds", "Download, verify, load and warm-up of a version.", false),
      new Spec(InferenceMetrics.MODEL_BYTE_SIZE, "", Kind.DISTRIBUTION, "bytes", "Artifact size of loaded versions.", false),
      new Spec(InferenceMetrics.EVENT_TO_PUBLISH, "", Kind.HISTOGRAM, "milliseconds",
          "Live: bar close (event time) to the prediction handed to the sink.", false),
      new Spec(InferenceMetrics.ARRIVAL_TO_PUBLISH, "", Kind.HISTOGRAM, "milliseconds",
          "Live: the bar's arrival in the pipeline to the prediction handed to the sink.", false),
      new Spec(InferenceMetrics.EVENT_DELAY, "", Kind.HISTOGRAM, "milliseconds",
          "Live: bar close to the bar's arrival in the pipeline (event-processing delay).", false),
      gauge(InferenceMetrics.WATERMARK_LAG, "", "milliseconds", "Live: wall clock minus the input watermark, when history timers fire."),
      gauge(InferenceMetrics.IN_FLIGHT, "", "rows", "Rows inside model calls on a worker (queue depth; at most max_concurrent_predictions)."),
      gauge(InferenceMetrics.HEAP_USED, "", "bytes", "Heap in use on a worker."),
      gauge(InferenceMetrics.HEAP_MAX, "", "bytes", "Heap limit of a worker."),
      gauge(InferenceMetrics.CPU_LOAD, "", "permille", "Process CPU load of a worker, 0 to 1000 (all cores)."),
      gauge(InferenceMetrics.MODELS_LOADED, "", "versions", "Model versions loaded in a worker's cache."),
      counter(InferenceMetrics.BARS_READY_ON_ARRIVAL, "", "bars", "Bars predicted as soon as they arrived."),
      counter(InferenceMetrics.BARS_READY_ON_TIMER, "", "bars", "Bars that waited for the watermark (gaps, first bars, disorder)."),
      new Spec(InferenceMetrics.HISTORY_BARS, "", Kind.DISTRIBUTION, "bars",
          "Bars a key's lookback state holds after each update (its max: the largest key).", false),
      counter(InferenceMetrics.HISTORY_BARS_EVICTED, "", "bars", "Bars dropped from lookback state."),
      counter(InferenceMetrics.HISTORY_KEYS_EXPIRED, "", "keys", "Keys quiet for max_feature_age whose state was cleared."),
      counter("registry_refresh_failures", "", "refreshes", "Streaming: registry refreshes that failed (then backed off)."),
      counter("model_version_changes", "", "changes", "Streaming: model versions that started serving."),
      gauge("registry_failed_polls", "", "polls", "Streaming: registry polls failed in a row (0 while the registry answers; /health reports it)."),
      counter("batch_rows_read", "", "rows", "Backfill: Parquet rows read."),
      counter("backfill_predictions_in_range", "", "predictions", "Backfill: predictions of requested bars (the progress line)."),
      gauge(InferenceMetrics.FEATURE_PSI, "model:feature", "PSI x 1000",
          "Population stability index of the latest drift window against the training histogram."),
      counter(InferenceMetrics.DRIFT_ALERTS, "model", "windows", "Drift windows with a feature above drift_psi_threshold."),
      counter(InferenceMetrics.OUTCOMES, "model", "predictions", "Predictions joined with their realized outcome."),
      counter(InferenceMetrics.OUTCOMES_EXPIRED, "", "predictions", "Predictions whose horizon bars never all arrived."),
      gauge(InferenceMetrics.HIT_RATE, "model:version", "permille", "Share of resolved predictions that were right, since start."),
      gauge(InferenceMetrics.BRIER, "model:version", "x 1000", "Brier score of the class probabilities, since start (lower is better)."),
      new Spec("kafka_consumer_lag_", "topic:partition", Kind.GAUGE, "records",
          "Local runner: end offset minus the consumer group's committed offset (backlog).", true),
      new Spec("pipeline_up", "", Kind.GAUGE, "0/1", "Local runner: 1 while the pipeline is RUNNING.", true));

  /** The spec a Beam metric name belongs to (the longest matching prefix wins). */
  public static Optional<Spec> of(String beamName) {
    String base = beamName;
    int bucket = beamName.indexOf(LatencyHistogram.BUCKET);
    if (bucket > 0) {
      base = beamName.substring(0, bucket);
    }
    String name = base;
    return ALL.stream().filter(s -> s.matches(name))
        .max(Comparator.comparingInt(s -> s.name().length()));
  }

  /** The README's table. */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder("| Beam metric | Prometheus | kind | unit | meaning |\n| --- | --- | --- | --- | --- |\n");
    for (Spec s : ALL) {
      String beam = s.runnerOnly() ? "-" : "`" + s.name() + (s.isPrefix() ? "<" + s.labels() + ">" : "") + "`";
      String labels = s.isPrefix() ? "{" + String.join(",", s.labels().split(":")) + "}" : "";
      String prom = "`" + s.prometheusName() + labels + "`" + (s.kind() == Kind.HISTOGRAM ? " (`_bucket`, `_sum`, `_count`)" : "");
      b.append("| ").append(beam).append(" | ").append(prom).append(" | ").append(s.kind().name().toLowerCase())
          .append(" | ").append(s.unit()).append(" | ").append(s.meaning()).append(" |\n");
    }
    return b.toString();
  }
}
