package com.cryptoml.inference.transforms.metrics;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Names of the Beam metrics the inference path reports, in one place ({@link MetricCatalog} says what
 * each means and in which unit). Where a metric means what Beam's RunInference reports, it has
 * RunInference's name. Metric objects are cached: creating one per element would allocate on the hot
 * path.
 */
public final class InferenceMetrics {
  public static final String NAMESPACE = "inference";

  /** Per timeframe, after parsing: {@code feature_events_in_1h}. */
  public static final String FEATURE_EVENTS_IN = "feature_events_in_";
  /** Per model id: {@code predictions_out_swing-high-v1-1h}. */
  public static final String PREDICTIONS_OUT = "predictions_out_";
  /** Per timeframe: {@code predictions_tf_1h} (throughput per timeframe). */
  public static final String PREDICTIONS_TF = "predictions_tf_";
  /** Per reason code: {@code dead_letters_duplicate_bar}. */
  public static final String DEAD_LETTERS = "dead_letters_";
  /** Per model id: inputs with at least one imputed value. */
  public static final String IMPUTATIONS = "imputations_";
  public static final String NUM_INFERENCES = "num_inferences";
  public static final String BATCH_LATENCY = "inference_batch_latency_micro_secs";
  public static final String BATCH_SIZE = "inference_request_batch_size";
  public static final String LOAD_MODEL_LATENCY = "load_model_latency_milli_secs";
  public static final String MODEL_BYTE_SIZE = "model_byte_size";
  public static final String CACHE_HITS = "model_cache_hits";
  public static final String CACHE_MISSES = "model_cache_misses";
  /** Backfill: model calls run again after a timeout ({@code batch_timeout_retries}). */
  public static final String TIMEOUT_RETRIES = "prediction_timeout_retries";
  /** Live mode: bar close (event time) to the prediction handed to the sink. */
  public static final String EVENT_TO_PUBLISH = "event_to_publish_latency_ms";
  /** Live mode: the bar's arrival in the pipeline to the prediction handed to the sink. */
  public static final String ARRIVAL_TO_PUBLISH = "arrival_to_publish_latency_ms";
  /** Live mode: bar close to the bar's arrival in the pipeline (event-processing delay). */
  public static final String EVENT_DELAY = "event_delay_ms";
  /** Live mode: wall clock minus the input watermark, when history timers fire. */
  public static final String WATERMARK_LAG = "watermark_lag_ms";
  /** Rows inside model calls now, per JVM (bounded by max_concurrent_predictions). */
  public static final String IN_FLIGHT = "predictions_in_flight";
  public static final String HEAP_USED = "jvm_heap_used_bytes";
  public static final String HEAP_MAX = "jvm_heap_max_bytes";
  public static final String CPU_LOAD = "process_cpu_load_permille";
  public static final String MODELS_LOADED = "models_loaded";

  /** Bars whose inputs were complete when the bar (or a bar it waited for) arrived. */
  public static final String BARS_READY_ON_ARRIVAL = "history_bars_ready_on_arrival";
  /** Bars that waited for the watermark (first bars of a key, gaps, out-of-order bars). */
  public static final String BARS_READY_ON_TIMER = "history_bars_ready_on_timer";
  public static final String HISTORY_BARS = "history_bars";
  public static final String HISTORY_BARS_EVICTED = "history_bars_evicted";
  public static final String HISTORY_KEYS_EXPIRED = "history_keys_expired";

  /** Per model and feature: {@code feature_psi_milli_swing-high-v1-1h:rsi_14}, PSI x 1000 of the latest window. */
  public static final String FEATURE_PSI = "feature_psi_milli_";
  /** Per model: windows in which a feature's PSI exceeded the threshold. */
  public static final String DRIFT_ALERTS = "feature_drift_alerts_";
  /** Per model: predictions joined with their realized outcome. */
  public static final String OUTCOMES = "outcomes_resolved_";
  /** Predictions whose horizon bars never all arrived before their state expired. */
  public static final String OUTCOMES_EXPIRED = "outcomes_expired";
  /** Per model and version: {@code hit_rate_milli_swing-high-v1-1h:1.1.0}, cumulative, x 1000. */
  public static final String HIT_RATE = "hit_rate_milli_";
  /** Per model and version: cumulative Brier score x 1000. */
  public static final String BRIER = "brier_score_milli_";

  private static final ConcurrentHashMap<String, Counter> COUNTERS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, Distribution> DISTRIBUTIONS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, Gauge> GAUGES = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, LatencyHistogram> HISTOGRAMS = new ConcurrentHashMap<>();

  private InferenceMetrics() {}

  public static Counter counter(String name) {
    return COUNTERS.computeIfAbsent(name, n -> Metrics.counter(NAMESPACE, n));
  }

  public static Distribution distribution(String name) {
    return DISTRIBUTIONS.computeIfAbsent(name, n -> Metrics.distribution(NAMESPACE, n));
  }

  public static Gauge gauge(String name) {
    return GAUGES.computeIfAbsent(name, n -> Metrics.gauge(NAMESPACE, n));
  }

  /** A latency in milliseconds with percentile buckets ({@link LatencyHistogram}). */
  public static LatencyHistogram latency(String name) {
    return HISTOGRAMS.computeIfAbsent(name, LatencyHistogram::new);
  }
}
