package com.cryptoml.inference.runners.direct;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.history.BuildModelInputs;
import com.cryptoml.inference.transforms.history.HistoryEffects;
import com.cryptoml.inference.transforms.history.HistoryUpdates;
import com.cryptoml.inference.transforms.history.KeyHistory;
import com.cryptoml.inference.transforms.history.RoutedModel;
import com.cryptoml.inference.transforms.metrics.BundleMetrics;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.TimerMap;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@link BuildModelInputs} with the series spread over a few state keys ({@link StateShards}): each
 * key's {@code MapState} holds its series' histories, and each series has its two timers in the
 * timer families {@code pending} and {@code maintenance}. What a bar or a timer does is the same
 * {@link HistoryUpdates}. See docs/decisions/state-shards.md.
 */
final class ShardedBuildModelInputs extends PTransform<PCollection<FeatureUpdate>, WithDeadLetters<ModelInput>> {
  private final HistoryUpdates updates;
  private final ModelsView models;
  private final int shards;

  ShardedBuildModelInputs(BuildModelInputs stock, int shards) {
    this.updates = stock.updates();
    this.models = stock.models();
    this.shards = StateShards.checked(shards);
  }

  @Override
  public WithDeadLetters<ModelInput> expand(PCollection<FeatureUpdate> updates) {
    int n = shards;
    PCollection<KV<String, FeatureUpdate>> keyed = updates
        .apply("KeyByStateShard", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), updates.getTypeDescriptor()))
            .via((FeatureUpdate u) -> KV.of(StateShards.key(u.historyKey(), n), u)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), updates.getCoder()));
    PCollectionTuple out = keyed.apply("ShardedLookbackHistory", ParDo.of(new ShardedHistoryFn(this.updates, models))
        .withSideInputs(models.view()).withOutputTags(BuildModelInputs.INPUTS, TupleTagList.of(BuildModelInputs.DEAD_LETTERS)));
    return WithDeadLetters.of(BuildModelInputs.INPUTS, out.get(BuildModelInputs.INPUTS).setCoder(ModelInput.Coder.of()),
        BuildModelInputs.DEAD_LETTERS, out.get(BuildModelInputs.DEAD_LETTERS));
  }

  /** Many series per key: one entry of the key's map and one timer of each family per series. */
  static final class ShardedHistoryFn extends DoFn<KV<String, FeatureUpdate>, ModelInput> {
    @StateId("histories")
    private final StateSpec<MapState<String, KeyHistory>> historiesSpec =
        StateSpecs.map(new SameInstanceCoder<>(StringUtf8Coder.of()), new SameInstanceCoder<>(KeyHistory.Coder.of()));

    @TimerFamily("pending")
    private final TimerSpec pendingSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

    @TimerFamily("maintenance")
    private final TimerSpec maintenanceSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

    private final HistoryUpdates updates;
    private final ModelsView models;
    private transient BundleMetrics metrics;

    ShardedHistoryFn(HistoryUpdates updates, ModelsView models) {
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
    public void process(@Element KV<String, FeatureUpdate> element, ProcessContext c,
        @StateId("histories") MapState<String, KeyHistory> histories,
        @TimerFamily("pending") TimerMap pending, @TimerFamily("maintenance") TimerMap maintenance, MultiOutputReceiver out) {
      FeatureUpdate u = element.getValue();
      String series = u.historyKey();
      List<RoutedModel> routes = RoutedModel.routedTo(models.read(c), Timeframe.of(u.getTimeframe()));
      HistoryEffects fx = new HistoryEffects(out, pending.get(series), maintenance.get(series), c.timestamp());
      histories.put(series, updates.onBar(histories.get(series).read(), u, routes, fx, metrics));
    }

    @OnTimerFamily("pending")
    public void onPending(@TimerId String series, OnTimerContext c, @StateId("histories") MapState<String, KeyHistory> histories,
        @TimerFamily("pending") TimerMap pending, @TimerFamily("maintenance") TimerMap maintenance, MultiOutputReceiver out) {
      KeyHistory h = histories.get(series).read();
      if (h != null) {
        HistoryEffects fx = new HistoryEffects(out, pending.get(series), maintenance.get(series), c.timestamp());
        histories.put(series, updates.onPending(h, c.fireTimestamp(), fx, metrics));
      }
    }

    @OnTimerFamily("maintenance")
    public void onMaintenance(@TimerId String series, OnTimerContext c, @StateId("histories") MapState<String, KeyHistory> histories,
        @TimerFamily("pending") TimerMap pending, @TimerFamily("maintenance") TimerMap maintenance, MultiOutputReceiver out) {
      KeyHistory h = histories.get(series).read();
      if (h == null) {
        return;
      }
      KeyHistory kept = updates.onMaintenance(h, c.fireTimestamp(), new HistoryEffects(out, pending.get(series), maintenance.get(series), c.timestamp()), metrics);
      if (kept == null) {
        histories.remove(series);
        pending.get(series).clear();
      } else {
        histories.put(series, kept);
      }
    }
  }
}
