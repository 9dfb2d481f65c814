package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.values.Schemas;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Outcomes to accuracy per model version, kept as one accumulator per version in state. A backfill
 * gets one row per version when its input is complete; a stream gets the cumulative row every
 * {@code interval} of processing time while outcomes arrive (and {@code hit_rate_milli_} and
 * {@code brier_score_milli_} gauges). State, not a combine: a stream's accumulating combine would keep
 * every outcome on some runners (the Direct runner buffers instead of combining), and a backfill's
 * would have the Direct runner copy every bundle's accumulator for each bundle that adds one. A
 * backfill accumulates each bundle's outcomes first and merges one accumulator per bundle and version
 * into the state (its outcomes come a bucket per bundle, 500 or so each).
 */
public final class Accuracy extends PTransform<PCollection<Outcome>, PCollection<ModelAccuracy>> {
  private static final AccuracyFn FN = new AccuracyFn();
  private final @Nullable Duration interval;

  private Accuracy(@Nullable Duration interval) {
    this.interval = interval;
  }

  /** Streaming: cumulative accuracy every {@code interval}. */
  public static Accuracy every(Duration interval) {
    return new Accuracy(interval);
  }

  /** Batch: one row per model version when the input is complete. */
  public static Accuracy overall() {
    return new Accuracy(null);
  }

  static String key(Outcome o) {
    return o.getModelId() + ":" + o.getRegistryVersion();
  }

  @Override
  public PCollection<ModelAccuracy> expand(PCollection<Outcome> outcomes) {
    PCollection<Outcome> global = InGlobalWindow.of("Global", outcomes);
    PCollection<ModelAccuracy> accuracy;
    if (interval == null) {
      accuracy = global.apply("PerBundle", ParDo.of(new PerBundleFn()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), AccuracyFn.AccCoder.INSTANCE))
          .apply("Accumulate", ParDo.of(new MergeFn()));
    } else {
      accuracy = global.apply("ByModelVersion", WithKeys.of(Accuracy::key).withKeyType(TypeDescriptors.strings()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), outcomes.getCoder()))
          .apply("Accumulate", ParDo.of(new AccumulateFn(interval.toMillis())));
    }
    return accuracy.setCoder(Schemas.coder(outcomes.getPipeline(), ModelAccuracy.class));
  }

  /** A backfill: a bundle's outcomes as one accumulator per model version, at the end of the global window. */
  static final class PerBundleFn extends DoFn<Outcome, KV<String, AccuracyFn.Acc>> {
    private transient Map<String, AccuracyFn.Acc> accs;

    @StartBundle
    public void startBundle() {
      accs = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element Outcome o) {
      FN.addInput(accs.computeIfAbsent(key(o), k -> FN.createAccumulator()), o);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      accs.forEach((k, a) -> c.output(KV.of(k, a), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
      accs = null;
    }
  }

  /** A backfill: the bundles' accumulators merged per model version, one row each at the end. */
  static final class MergeFn extends DoFn<KV<String, AccuracyFn.Acc>, ModelAccuracy> {
    @StateId("acc")
    private final StateSpec<ValueState<AccuracyFn.Acc>> accSpec = StateSpecs.value(AccuracyFn.AccCoder.INSTANCE);

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(@Element KV<String, AccuracyFn.Acc> e, BoundedWindow window,
        @StateId("acc") ValueState<AccuracyFn.Acc> acc, @TimerId("end") Timer end) {
      AccuracyFn.Acc a = acc.read();
      acc.write(a == null ? e.getValue() : FN.mergeAccumulators(List.of(a, e.getValue())));
      end.set(window.maxTimestamp());
    }

    @OnTimer("end")
    public void onEnd(@StateId("acc") ValueState<AccuracyFn.Acc> acc, OutputReceiver<ModelAccuracy> out) {
      emit(acc.read(), out);
    }
  }

  /** Publishes a version's accuracy as gauges and outputs it; nothing for no outcomes. */
  static void emit(AccuracyFn.@Nullable Acc a, DoFn.OutputReceiver<ModelAccuracy> out) {
    if (a == null || a.n == 0) {
      return;
    }
    ModelAccuracy m = FN.extractOutput(a);
    String label = m.getModelId() + ":" + m.getModelVersion();
    InferenceMetrics.gauge(InferenceMetrics.HIT_RATE + label).set(Math.round(m.getAccuracy() * 1000));
    if (m.getBrierScore() != null) {
      InferenceMetrics.gauge(InferenceMetrics.BRIER + label).set(Math.round(m.getBrierScore() * 1000));
    }
    out.output(m);
  }

  static final class AccumulateFn extends DoFn<KV<String, Outcome>, ModelAccuracy> {
    @StateId("acc")
    private final StateSpec<ValueState<AccuracyFn.Acc>> accSpec = StateSpecs.value(AccuracyFn.AccCoder.INSTANCE);

    @StateId("flushPending")
    private final StateSpec<ValueState<Boolean>> pendingSpec = StateSpecs.value();

    @TimerId("flush")
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    private final long intervalMillis;

    AccumulateFn(long intervalMillis) {
      this.intervalMillis = intervalMillis;
    }

    @ProcessElement
    public void process(@Element KV<String, Outcome> e, @StateId("acc") ValueState<AccuracyFn.Acc> acc,
        @StateId("flushPending") ValueState<Boolean> pending, @TimerId("flush") Timer flush) {
      AccuracyFn.Acc a = acc.read();
      acc.write(FN.addInput(a == null ? FN.createAccumulator() : a, e.getValue()));
      if (pending.read() == null) {
        flush.offset(org.joda.time.Duration.millis(intervalMillis)).setRelative();
        pending.write(true);
      }
    }

    @OnTimer("flush")
    public void onFlush(@StateId("acc") ValueState<AccuracyFn.Acc> acc, @StateId("flushPending") ValueState<Boolean> pending,
        OutputReceiver<ModelAccuracy> out) {
      pending.clear();
      emit(acc.read(), out);
    }
  }
}
