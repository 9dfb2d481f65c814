package com.cryptoml.inference.transforms.metrics;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Names of the Beam metrics the inference path reports, in one place. Where a metric means what
 * Beam's RunInference reports, it has RunInference's name. Metric objects are cached: creating one
 * per element would allocate on the hot path.
 */
public final class InferenceMetrics {
  public static final String NAMESPACE = "inference";

  /** Per timeframe, after parsing: {@code feature_events_in_1h}. */
  public static final String FEATURE_EVENTS_IN = "feature_events_in_";
  /** Per model id: {@code predictions_out_swing-high-v1-1h}. */
  public static final String PREDICTIONS_OUT = "predictions_out_";
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
  /** Milliseconds from bar close (event time) to prediction, measured when the prediction is made. */
  public static final String END_TO_END_LATENCY = "end_to_end_latency_ms";

  /** Bars whose inputs were complete when the bar (or a bar it waited for) arrived. */
  public static final String BARS_READY_ON_ARRIVAL = "history_bars_ready_on_arrival";
  /** Bars that waited for the watermark (first bars of a key, gaps, out-of-order bars). */
  public static final String BARS_READY_ON_TIMER = "history_bars_ready_on_timer";
  public static final String HISTORY_BARS_EVICTED = "history_bars_evicted";
  public static final String HISTORY_KEYS_EXPIRED = "history_keys_expired";

  private static final ConcurrentHashMap<String, Counter> COUNTERS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, Distribution> DISTRIBUTIONS = new ConcurrentHashMap<>();

  private InferenceMetrics() {}

  public static Counter counter(String name) {
    return COUNTERS.computeIfAbsent(name, n -> Metrics.counter(NAMESPACE, n));
  }

  public static Distribution distribution(String name) {
    return DISTRIBUTIONS.computeIfAbsent(name, n -> Metrics.distribution(NAMESPACE, n));
  }
}
