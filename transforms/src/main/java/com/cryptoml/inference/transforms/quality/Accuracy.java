package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.coders.CompactSchemaCoder;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import java.time.Duration;
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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Outcomes to accuracy per model version, kept as one accumulator per version in state. A backfill
 * gets one row per version when its input is complete; a stream gets the cumulative row every
 * {@code interval} of processing time while outcomes arrive (and {@code hit_rate_milli_} and
 * {@code brier_score_milli_} gauges). State, not a combine: a stream's accumulating combine would keep
 * every outcome on some runners (the Direct runner buffers instead of combining).
 */
public final class Accuracy extends PTransform<PCollection<Outcome>, PCollection<ModelAccuracy>> {
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

  @Override
  public PCollection<ModelAccuracy> expand(PCollection<Outcome> outcomes) {
    return InGlobalWindow.of("Global", outcomes)
        .apply("ByModelVersion", WithKeys.of((Outcome o) -> o.getModelId() + ":" + o.getRegistryVersion())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), outcomes.getCoder()))
        .apply("Accumulate", ParDo.of(new AccumulateFn(interval == null ? -1 : interval.toMillis())))
        .setCoder(CompactSchemaCoder.of(outcomes.getPipeline(), ModelAccuracy.class));
  }

  static final class AccumulateFn extends DoFn<KV<String, Outcome>, ModelAccuracy> {
    private static final AccuracyFn FN = new AccuracyFn();

    @StateId("acc")
    private final StateSpec<ValueState<AccuracyFn.Acc>> accSpec = StateSpecs.value(AccuracyFn.AccCoder.INSTANCE);

    @StateId("flushPending")
    private final StateSpec<ValueState<Boolean>> pendingSpec = StateSpecs.value();

    @TimerId("flush")
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final long intervalMillis;

    AccumulateFn(long intervalMillis) {
      this.intervalMillis = intervalMillis;
    }

    @ProcessElement
    public void process(@Element KV<String, Outcome> e, BoundedWindow window, @StateId("acc") ValueState<AccuracyFn.Acc> acc,
        @StateId("flushPending") ValueState<Boolean> pending, @TimerId("flush") Timer flush, @TimerId("end") Timer end) {
      AccuracyFn.Acc a = acc.read();
      acc.write(FN.addInput(a == null ? FN.createAccumulator() : a, e.getValue()));
      if (intervalMillis < 0) {
        end.set(window.maxTimestamp());
      } else if (pending.read() == null) {
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

    @OnTimer("end")
    public void onEnd(@StateId("acc") ValueState<AccuracyFn.Acc> acc, OutputReceiver<ModelAccuracy> out) {
      emit(acc.read(), out);
    }

    private static void emit(AccuracyFn.Acc a, OutputReceiver<ModelAccuracy> out) {
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
  }
}
