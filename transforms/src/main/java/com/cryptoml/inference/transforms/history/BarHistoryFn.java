package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.metrics.BundleMetrics;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
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
    List<RoutedModel> routes = RoutedModel.routedTo(models.read(c), Timeframe.of(u.getTimeframe()));
    state.write(updates.onBar(state.read(), u, routes, new HistoryEffects(out, pending, maintenance, c.timestamp()), metrics));
  }

  @OnTimer("pending")
  public void onPending(OnTimerContext c, @StateId("history") ValueState<KeyHistory> state, @TimerId("pending") Timer pending,
      @TimerId("maintenance") Timer maintenance, MultiOutputReceiver out) {
    KeyHistory h = state.read();
    if (h != null) {
      state.write(updates.onPending(h, c.fireTimestamp(), new HistoryEffects(out, pending, maintenance, c.timestamp()), metrics));
    }
  }

  @OnTimer("maintenance")
  public void onMaintenance(OnTimerContext c, @StateId("history") ValueState<KeyHistory> state, @TimerId("pending") Timer pending,
      @TimerId("maintenance") Timer maintenance, MultiOutputReceiver out) {
    KeyHistory h = state.read();
    if (h == null) {
      return;
    }
    KeyHistory kept = updates.onMaintenance(h, c.fireTimestamp(), new HistoryEffects(out, pending, maintenance, c.timestamp()), metrics);
    if (kept == null) {
      state.clear();
      pending.clear();
    } else {
      state.write(kept);
    }
  }
}
