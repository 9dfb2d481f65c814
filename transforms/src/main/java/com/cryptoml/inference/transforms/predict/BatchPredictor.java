package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.metadata.Decision;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.OutputSpec;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.serving.ModelCache;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.models.serving.ServingModel;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.events.EventIds;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.DeadLetterReason;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The shared inference step behind every batching DoFn: for a batch of inputs of one model version,
 * take the model from the process-wide cache (loaded by the {@link com.cryptoml.inference.models.serving.ModelHandler}
 * on a miss), normalise the whole batch into one primitive array, run it under the concurrency and
 * timeout limits, and turn each output row into a prediction event. A failure dead-letters exactly
 * the rows of that batch. A DoFn holds one and {@link #open}s it in its setup.
 */
public final class BatchPredictor implements Serializable {
  private final InferenceConfig config;
  private final @Nullable String batchRequestId;
  private transient ModelCache cache;
  private transient ModelLoader loader;

  public BatchPredictor(InferenceConfig config, @Nullable String batchRequestId) {
    this.config = config;
    this.batchRequestId = batchRequestId;
  }

  /** Connects to the JVM's model cache and the registry; once per DoFn instance. */
  public void open() {
    if (cache == null) {
      cache = ModelCache.shared(config.options().getModelCacheSize());
      loader = new ModelLoader(Registries.open(config.options().getRegistry()), config.loadOptions());
    }
  }

  /** Receives what a batch produced. */
  public interface Sink {
    void prediction(PredictionEvent event, ModelInput input);

    void deadLetter(DeadLetter deadLetter, ModelInput input);

    /**
     * Outputs each result to {@link Predict}'s tags at its input's bar time, never before {@code floor}
     * (a batch's own timestamp is its earliest input's).
     */
    static Sink outputsAt(DoFn.MultiOutputReceiver out, Instant floor) {
      return new Sink() {
        @Override
        public void prediction(PredictionEvent event, ModelInput input) {
          out.get(Predict.PREDICTIONS).outputWithTimestamp(event, at(input));
        }

        @Override
        public void deadLetter(DeadLetter deadLetter, ModelInput input) {
          out.get(Predict.DEAD_LETTERS).outputWithTimestamp(deadLetter, at(input));
        }

        private Instant at(ModelInput input) {
          Instant bar = new Instant(input.barMillis());
          return bar.isBefore(floor) ? floor : bar;
        }
      };
    }
  }

  /** Predicts {@code inputs} (all for {@code servingKey}) in chunks of at most {@code batch_size}. */
  public void predict(ActiveModels active, String servingKey, List<ModelInput> inputs, Sink sink) {
    open();
    ActiveModels.Entry entry = active.find(servingKey);
    if (entry == null) {
      fail(inputs, 0, inputs.size(), DeadLetterReason.MODEL_UNAVAILABLE, "model version " + servingKey
          + " is no longer active", sink);
      return;
    }
    for (int from = 0; from < inputs.size(); from += config.options().getBatchSize()) {
      predictChunk(entry, inputs, from, Math.min(inputs.size(), from + config.options().getBatchSize()), sink);
    }
  }

  private void predictChunk(ActiveModels.Entry entry, List<ModelInput> inputs, int from, int to, Sink sink) {
    int rows = to - from;
    // A stream's deadline has passed once a call times out; a backfill has none, and a collector's or a
    // neighbour's pause must not make its output depend on the run (README, determinism).
    int attempts = 1 + (config.live() ? 0 : config.options().getBatchTimeoutRetries());
    ModelMetadata md = null;
    float[] batch = null;
    PredictionRunner.Call call = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      ModelCache.Lease lease = lease(entry, inputs, from, to, sink);
      if (lease == null) {
        return;
      }
      if (batch == null) {
        md = lease.model().metadata();
        batch = normalise(md, inputs, from, to);
      } else {
        InferenceMetrics.counter(InferenceMetrics.TIMEOUT_RETRIES).inc();
      }
      call = PredictionRunner.run(lease, batch, rows, config.options().getMaxConcurrentPredictions(),
          config.options().getPredictionTimeoutMs()); // closes the lease when the call ends
      InferenceMetrics.distribution(InferenceMetrics.BATCH_LATENCY).update(call.micros());
      if (call.status() != PredictionRunner.Status.TIMEOUT) {
        break;
      }
    }
    InferenceMetrics.distribution(InferenceMetrics.BATCH_SIZE).update(rows);
    if (call.status() != PredictionRunner.Status.OK) {
      boolean timeout = call.status() == PredictionRunner.Status.TIMEOUT;
      String retried = timeout && attempts > 1 ? " (run " + attempts + " times)" : "";
      fail(inputs, from, to, timeout ? DeadLetterReason.TIMEOUT : DeadLetterReason.MODEL_ERROR,
          entry.version() + ": " + call.error() + retried, sink);
      return;
    }
    InferenceMetrics.counter(InferenceMetrics.NUM_INFERENCES).inc(rows);
    ResourceGauges.maybeReport(cache);
    long now = System.currentTimeMillis();
    double latencyMs = call.micros() / 1000.0;
    OutputSpec spec = md.output();
    boolean scalar = spec.kind() == OutputSpec.Kind.SCALAR;
    String role = entry.role();
    for (int r = 0; r < rows; r++) {
      ModelInput in = inputs.get(from + r);
      Decision d;
      try {
        d = spec.decode(call.outputs(), r);
      } catch (ArithmeticException e) {
        fail(inputs, from + r, from + r + 1, DeadLetterReason.MODEL_ERROR, entry.version() + ": " + e.getMessage(), sink);
        continue;
      }
      String label = entry.version().versionLabel();
      PredictionEvent event = PredictionEvent.builder()
          .setEventId(EventIds.prediction(in.modelId(), label, in.symbol(), in.exchange(), in.timeframe(), in.barMillis()))
          .setTimestamp(new Instant(now))
          .setEnvironment(config.options().getEnvironment())
          .setSubEnvironment(config.options().getSubEnvironment())
          .setMode(config.mode().code())
          .setModelId(in.modelId())
          .setModelVersion(label)
          .setSymbol(in.symbol())
          .setTimeframe(in.timeframe())
          .setPrediction(d.prediction())
          .setConfidence(round(d.confidence()))
          .setExchange(in.exchange())
          .setModelType(md.modelType().code())
          .setFeatureTimestamp(new Instant(in.barMillis()))
          .setRegistryVersion(entry.version().version())
          .setProbabilities(scalar ? Map.of() : probabilities(spec, call.outputs(), r))
          .setScore(scalar ? round(call.outputs()[r]) : null)
          .setModelRef(entry.ref())
          .setModelRole(role)
          .setImputedFeatures(in.imputed())
          .setInferenceLatencyMs(latencyMs)
          .setBatchRequestId(batchRequestId)
          .build();
      InferenceMetrics.counter(InferenceMetrics.PREDICTIONS_OUT + in.modelId()).inc();
      InferenceMetrics.counter(InferenceMetrics.PREDICTIONS_TF + in.timeframe()).inc();
      if (config.live()) {
        InferenceMetrics.latency(InferenceMetrics.EVENT_TO_PUBLISH).update(now - in.barMillis());
        if (in.arrivalMillis() > 0) {
          InferenceMetrics.latency(InferenceMetrics.ARRIVAL_TO_PUBLISH).update(now - in.arrivalMillis());
        }
      }
      sink.prediction(event, in);
    }
  }

  /** The version's model from the process-wide cache, or null when it is refused (its rows then are dead letters). */
  private ModelCache.@Nullable Lease lease(ActiveModels.Entry entry, List<ModelInput> inputs, int from, int to, Sink sink) {
    ModelCache.Lease lease;
    try {
      lease = cache.acquire(entry.version(), loader::load);
    } catch (ModelRefusedException e) {
      fail(inputs, from, to, DeadLetterReason.MODEL_UNAVAILABLE, e.getMessage(), sink);
      return null;
    }
    if (lease.wasHit()) {
      InferenceMetrics.counter(InferenceMetrics.CACHE_HITS).inc();
    } else {
      ServingModel model = lease.model();
      InferenceMetrics.counter(InferenceMetrics.CACHE_MISSES).inc();
      InferenceMetrics.distribution(InferenceMetrics.LOAD_MODEL_LATENCY).update(model.loadTime().toMillis());
      InferenceMetrics.distribution(InferenceMetrics.MODEL_BYTE_SIZE).update(model.byteSize());
    }
    return lease;
  }

  /** z-scores a batch into one row-major float array ({@code normalize_features}), else copies raw. */
  float[] normalise(ModelMetadata md, List<ModelInput> inputs, int from, int to) {
    int width = md.inputWidth();
    int features = md.features().size();
    double[] mean = md.means();
    double[] std = md.stds();
    boolean normalise = config.options().getNormalizeFeatures();
    float[] out = new float[(to - from) * width];
    int o = 0;
    for (int r = from; r < to; r++) {
      double[] v = inputs.get(r).values();
      if (v.length != width) {
        throw new IllegalStateException(inputs.get(r) + " has " + v.length + " values, model needs " + width);
      }
      for (int k = 0; k < width; k++) {
        int j = k % features;
        out[o++] = (float) (normalise ? (v[k] - mean[j]) / std[j] : v[k]);
      }
    }
    return out;
  }

  /**
   * Probabilities rounded to 6 decimals: float32 kernels may differ in the last bits with batch
   * composition, and a rerun must give the same values.
   */
  private static Map<String, Double> probabilities(OutputSpec spec, float[] outputs, int row) {
    Map<String, Double> out = new LinkedHashMap<>();
    int width = spec.width();
    for (int j = 0; j < width; j++) {
      int label = spec.labels().get(j);
      out.put(label < 0 ? "short" : label > 0 ? "long" : "neutral", round(outputs[row * width + j]));
    }
    return out;
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  /** The model input as JSON: what a model error or timeout was about. */
  private static String describe(ModelInput in) {
    return com.cryptoml.inference.transforms.events.EventJson.write(g -> {
      g.writeStringField("model", in.servingKey());
      g.writeNumberField("bar_millis", in.barMillis());
      g.writeArrayFieldStart("inputs");
      for (double v : in.values()) {
        g.writeNumber(v);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("imputed_features");
      for (String f : in.imputed()) {
        g.writeString(f);
      }
      g.writeEndArray();
    });
  }

  private static void fail(List<ModelInput> inputs, int from, int to, DeadLetterReason reason, String detail, Sink sink) {
    for (int r = from; r < to; r++) {
      ModelInput in = inputs.get(r);
      DeadLetter dl = DeadLetter.builder().setReason(reason.code()).setStage(reason.stage()).setDetail(detail)
          .setSource("model:" + in.servingKey()).payload(describe(in))
          .setSymbol(in.symbol()).setExchange(in.exchange()).setTimeframe(in.timeframe()).setModelId(in.modelId())
          .setFeatureTimestamp(new Instant(in.barMillis())).build();
      InferenceMetrics.counter(InferenceMetrics.DEAD_LETTERS + reason.code()).inc();
      sink.deadLetter(dl, in);
    }
  }
}
