package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.metrics.BundleMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The lookback history of one series per key ({@code symbol|exchange|timeframe}) in a {@code
 * ValueState}, with two event-time timers; what each bar and timer does is {@link HistoryUpdates}.
 * Inputs a bar or a timer releases belong to bars at or after it (a bar waits only for older bars),
 * so outputs keep their bar times, never earlier than the element's or the timer's own timestamp.
 */
final class BarHistoryFn extends DoFn<KV<String, FeatureUpdate>, ModelInput> {
  static final TupleTag<ModelInput> INPUTS = new TupleTag<>("inputs") {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  @StateId("history")
  private final StateSpec<ValueState<KeyHistory>> historySpec = StateSpecs.value(KeyHistory.Coder.of());

  @TimerId("pending")
  private final TimerSpec pendingSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("maintenance")
  private final TimerSpec maintenanceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  private final HistoryUpdates updates;
  private final ModelsView models;
  /** Counted per bundle: this step touches several metrics for every bar. */
  private transient BundleMetrics metrics;

  BarHistoryFn(HistoryUpdates updates, ModelsView models) {
    this.updates = updates;
    this.models = models;
  }

  @StartBundle
  public void startBundle() {
    metrics = new BundleMetrics();
  }

  @FinishBundle
  public void finishBundle() {
    metrics.flush();
  }

  @ProcessElement
  public void process(@Element KV<String, FeatureUpdate> element, ProcessContext c, @StateId("history") ValueState<KeyHistory> state,
      @TimerId("pending") Timer pending, @TimerId("maintenance") Timer maintenance, MultiOutputReceiver out) {
    FeatureUpdate u = element.getValue();
    List<RoutedModel> routes = new ArrayList<>();
    for (ActiveModels.Entry e : models.read(c).routedTo(Timeframe.of(u.getTimeframe()))) {
      routes.add(RoutedModel.of(e));
    }
    state.write(updates.onBar(state.read(), u, routes, new Effects(out, pending, maintenance, c.timestamp()), metrics));
  }

  @OnTimer("pending")
  public void onPending(OnTimerContext c, @StateId("history") ValueState<KeyHistory> state, @TimerId("pending") Timer pending,
      @TimerId("maintenance") Timer maintenance, MultiOutputReceiver out) {
    KeyHistory h = state.read();
    if (h != null) {
      state.write(updates.onPending(h, c.fireTimestamp(), new Effects(out, pending, maintenance, c.timestamp()), metrics));
    }
  }

  @OnTimer("maintenance")
  public void onMaintenance(OnTimerContext c, @StateId("history") ValueState<KeyHistory> state, @TimerId("pending") Timer pending,
      @TimerId("maintenance") Timer maintenance, MultiOutputReceiver out) {
    KeyHistory h = state.read();
    if (h == null) {
      return;
    }
    KeyHistory kept = updates.onMaintenance(h, c.fireTimestamp(), new Effects(out, pending, maintenance, c.timestamp()), metrics);
    if (kept == null) {
      state.clear();
      pending.clear();
    } else {
      state.write(kept);
    }
  }

  /** Outputs and timers of one element or timer callback; {@code floor} is its own timestamp. */
  private static final class Effects implements HistoryUpdates.Effects {
    private final MultiOutputReceiver out;
    private final Timer pending;
    private final Timer maintenance;
    private final Instant floor;

    Effects(MultiOutputReceiver out, Timer pending, Timer maintenance, Instant floor) {
      this.out = out;
      this.pending = pending;
      this.maintenance = maintenance;
      this.floor = floor;
    }

    @Override
    public void input(ModelInput input, Instant barTime) {
      out.get(INPUTS).outputWithTimestamp(input, barTime.isBefore(floor) ? floor : barTime);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter, @Nullable Instant barTime) {
      if (barTime == null) {
        out.get(DEAD_LETTERS).output(deadLetter);
      } else {
        out.get(DEAD_LETTERS).outputWithTimestamp(deadLetter, barTime.isBefore(floor) ? floor : barTime);
      }
    }

    @Override
    public void setPending(Instant fire, Instant hold) {
      Instant at = fire.isBefore(floor) ? floor : fire;
      Instant held = hold.isBefore(floor) ? floor : hold.isAfter(at) ? at : hold;
      pending.withOutputTimestamp(held).set(at);
    }

    @Override
    public void clearPending() {
      pending.clear();
    }

    @Override
    public void setMaintenance(Instant at) {
      maintenance.withNoOutputTimestamp().set(at);
    }
  }
}
