package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.coders.MapStateCoders;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.metrics.BundleMetrics;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.DeadLetterReason;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerMap;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The per-(symbol, exchange, timeframe) lookback history. For each bar: drop duplicates and bars
 * later than the allowed lateness, insert it in event-time order, and once everything its inputs
 * depend on is known (see {@link InputAssembler}) emit one {@link ModelInput} per model routed to its
 * timeframe, or a dead letter for a model that cannot be fed. The same code behaves the same on
 * bounded input (arbitrary order, resolved at the end) and unbounded input (in order: at once;
 * out of order: when the missing bar arrives or the watermark says it will not).
 *
 * <p>The input's key is the state key ({@link com.cryptoml.inference.transforms.sharding.StateShards}):
 * one series, or a shard of many. Each series' history is an entry of the key's map, and its timers
 * are the entries named after it in two timer families: {@code pending} fires when a bar a pending bar
 * waits for becomes known missing and holds the watermark at the oldest pending bar; {@code
 * maintenance} advances what is known of the watermark, drops bars no future input can reach, and
 * removes the series after {@code max_feature_age} without new bars.
 */
final class BarHistoryFn extends DoFn<KV<String, FeatureUpdate>, ModelInput> {
  static final TupleTag<ModelInput> INPUTS = new TupleTag<>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  /** Maintenance runs this many bars after the newest bar (and again when the key goes quiet). */
  private static final int MAINTENANCE_EVERY_BARS = 16;

  /** Series ({@code symbol|exchange|timeframe}) to its history. */
  @StateId("histories")
  private final StateSpec<MapState<String, KeyHistory>> historiesSpec;

  @TimerFamily("pending")
  private final TimerSpec pendingSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

  @TimerFamily("maintenance")
  private final TimerSpec maintenanceSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

  private final InferenceConfig config;
  private final ModelsView models;
  /** Live mode: delays against the wall clock mean something (not in a backfill). */
  private final boolean live;
  private final long maxDisorderMillis;
  /** Counted per bundle: this step touches several metrics for every bar. */
  private transient BundleMetrics metrics;

  /** @param options the pipeline's: its runner picks the state's coders ({@link MapStateCoders}) */
  BarHistoryFn(InferenceConfig config, ModelsView models, long maxDisorderMillis, PipelineOptions options) {
    this.historiesSpec = StateSpecs.map(MapStateCoders.forRunner(options, StringUtf8Coder.of()),
        MapStateCoders.forRunner(options, KeyHistory.Coder.of()));
    this.config = config;
    this.maxDisorderMillis = maxDisorderMillis;
    this.live = "live".equals(config.mode());
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

  private InputAssembler assembler(Timeframe tf) {
    return new InputAssembler(tf.barLength().toMillis(), tf.allowedLateness().toMillis(), config.maxFeatureAge().toMillis(),
        config.forwardFillBars(tf), config.imputation(), config.maxImputedFraction());
  }

  @ProcessElement
  public void process(@Element KV<String, FeatureUpdate> element, ProcessContext c,
      @StateId("histories") MapState<String, KeyHistory> histories,
      @TimerFamily("pending") TimerMap pending, @TimerFamily("maintenance") TimerMap maintenance,
      MultiOutputReceiver out) {
    FeatureUpdate u = element.getValue();
    Timeframe tf = Timeframe.of(u.getTimeframe()); // validated upstream
    String series = u.historyKey();
    KeyHistory h = histories.get(series).read();
    if (h == null) {
      h = new KeyHistory(u.getSymbol(), u.getExchange(), tf);
    }
    List<RoutedModel> routes = new ArrayList<>();
    for (ActiveModels.Entry e : models.read(c).routedTo(tf)) {
      routes.add(RoutedModel.of(e));
    }
    if (!routes.equals(h.routes())) {
      h.setRoutes(routes);
    }
    long t = u.getTimestamp().getMillis();
    long lateness = tf.allowedLateness().toMillis();
    if (h.indexOf(t) >= 0) {
      deadLetter(out, DeadLetter.of(DeadLetterReason.DUPLICATE_BAR, "a bar for " + u.getSymbol() + " " + u.getExchange()
          + " " + tf + " at " + u.getTimestamp() + " was already received", u, null));
      return;
    }
    if (t + lateness <= h.resolvedUpTo()) {
      deadLetter(out, DeadLetter.of(DeadLetterReason.LATE_BAR, "bar arrived after the watermark passed it plus the allowed lateness "
          + tf.allowedLateness() + "; inputs around it are already final", u, null));
      return;
    }
    // Bars ready on arrival set no timer, so the key may not have heard of the watermark: the key's own
    // newest bar bounds it from below (the source's watermark trails it by at most maxDisorder).
    if (maxDisorderMillis != Long.MAX_VALUE && h.newestSeen() != Long.MIN_VALUE
        && t + lateness + maxDisorderMillis <= h.newestSeen()) {
      deadLetter(out, DeadLetter.of(DeadLetterReason.LATE_BAR, "bar is more than the allowed disorder " + Duration.millis(maxDisorderMillis)
          + " plus lateness " + tf.allowedLateness() + " older than the newest bar of its key", u, null));
      return;
    }
    long arrival = System.currentTimeMillis();
    h.insert(t, arrival, u.getFeatures(), u.getSource(), u.getPayload());
    if (live) {
      InferenceMetrics.latency(InferenceMetrics.EVENT_DELAY).update(arrival - t);
    }
    int ready = emitReady(h, out);
    metrics.inc(InferenceMetrics.BARS_READY_ON_ARRIVAL, ready);
    finish(series, h, histories, pending.get(series), maintenance.get(series));
  }

  @OnTimerFamily("pending")
  public void onPending(@TimerId String series, OnTimerContext c, @StateId("histories") MapState<String, KeyHistory> histories,
      @TimerFamily("pending") TimerMap pending, @TimerFamily("maintenance") TimerMap maintenance, MultiOutputReceiver out) {
    KeyHistory h = histories.get(series).read();
    if (h == null) {
      return;
    }
    h.advanceResolvedUpTo(c.fireTimestamp().getMillis());
    if (live) {
      // The timer fires once the input watermark passes its time: how far the watermark trails the clock.
      InferenceMetrics.gauge(InferenceMetrics.WATERMARK_LAG).set(System.currentTimeMillis() - c.fireTimestamp().getMillis());
    }
    h.setPendingTimerAt(Long.MIN_VALUE); // it just fired
    int ready = emitReady(h, out);
    metrics.inc(InferenceMetrics.BARS_READY_ON_TIMER, ready);
    finish(series, h, histories, pending.get(series), maintenance.get(series));
  }

  @OnTimerFamily("maintenance")
  public void onMaintenance(@TimerId String series, OnTimerContext c, @StateId("histories") MapState<String, KeyHistory> histories,
      @TimerFamily("pending") TimerMap pendingTimers, @TimerFamily("maintenance") TimerMap maintenanceTimers) {
    KeyHistory h = histories.get(series).read();
    if (h == null) {
      return;
    }
    long now = c.fireTimestamp().getMillis();
    if (!h.hasPending() && now >= h.newestSeen() + config.maxFeatureAge().toMillis()) {
      // The key went quiet for max_feature_age: nothing it holds is usable any more. A bar that
      // arrives later is older than max_feature_age too, which validation rejects against the clock.
      metrics.inc(InferenceMetrics.HISTORY_KEYS_EXPIRED);
      histories.remove(series);
      pendingTimers.get(series).clear();
      return; // this timer just fired and is not set again
    }
    // Pending bars are settled by their own, earlier timer; here only what the watermark implies.
    h.advanceResolvedUpTo(now);
    evict(h);
    long at = shortMaintenance(h);
    if (at <= now) {
      at = h.newestSeen() + config.maxFeatureAge().toMillis(); // quiet key: next stop is expiry
    }
    maintenanceTimers.get(series).withNoOutputTimestamp().set(new Instant(at));
    h.setMaintenanceAt(at);
    histories.put(series, h);
  }

  /** Emits every pending bar whose inputs are all decidable, oldest first; returns how many. */
  private int emitReady(KeyHistory h, MultiOutputReceiver out) {
    InputAssembler assembler = assembler(h.timeframe());
    int emitted = 0;
    for (int i : h.pendingIndices()) {
      List<InputAssembler.Outcome> outcomes = new ArrayList<>(h.routes().size());
      boolean ready = true;
      for (RoutedModel m : h.routes()) {
        InputAssembler.Outcome o = assembler.assemble(h, i, m);
        if (o.status() == InputAssembler.Status.WAIT) {
          ready = false;
          break;
        }
        outcomes.add(o);
      }
      if (!ready) {
        continue;
      }
      Instant barTime = new Instant(h.time(i));
      for (int k = 0; k < outcomes.size(); k++) {
        RoutedModel m = h.routes().get(k);
        InputAssembler.Outcome o = outcomes.get(k);
        if (o.status() == InputAssembler.Status.READY) {
          if (!o.imputed().isEmpty()) {
            metrics.inc(InferenceMetrics.IMPUTATIONS + m.modelId());
          }
          out.get(INPUTS).outputWithTimestamp(new ModelInput(h.symbol(), h.exchange(), h.timeframe().code(), h.time(i),
              m.modelId(), m.registryVersion(), o.values(), o.imputed(), h.arrival(i)), barTime);
        } else {
          DeadLetter dl = DeadLetter.builder().setReason(DeadLetterReason.INCOMPLETE_FEATURES.code())
              .setStage(DeadLetterReason.INCOMPLETE_FEATURES.stage()).setDetail(o.detail())
              .setSource(h.source(i) == null ? "" : h.source(i)).payload(h.payload(i) == null ? "" : h.payload(i))
              .setSymbol(h.symbol()).setExchange(h.exchange()).setTimeframe(h.timeframe().code())
              .setModelId(m.modelId()).setFeatureTimestamp(barTime).build();
          metrics.inc(InferenceMetrics.DEAD_LETTERS + dl.getReason());
          out.get(DEAD_LETTERS).outputWithTimestamp(dl, barTime);
        }
      }
      h.markDone(i);
      emitted++;
    }
    return emitted;
  }

  private void finish(String series, KeyHistory h, MapState<String, KeyHistory> histories, Timer pending, Timer maintenance) {
    evict(h);
    long lateness = h.timeframe().allowedLateness().toMillis();
    if (h.hasPending()) {
      // Fire when the latest bar any pending bar waits for is known missing; hold the watermark meanwhile.
      InputAssembler assembler = assembler(h.timeframe());
      long fire = Long.MAX_VALUE;
      for (int i : h.pendingIndices()) {
        for (RoutedModel m : h.routes()) {
          InputAssembler.Outcome o = assembler.assemble(h, i, m);
          if (o.status() == InputAssembler.Status.WAIT) {
            fire = Math.min(fire, o.waitFor() + lateness);
            break;
          }
        }
      }
      long hold = Math.min(h.oldestPending(), fire);
      pending.withOutputTimestamp(new Instant(hold)).set(new Instant(fire));
      h.setPendingTimerAt(fire);
    } else if (h.pendingTimerAt() != Long.MIN_VALUE) {
      pending.clear();
      h.setPendingTimerAt(Long.MIN_VALUE);
    }
    // Maintenance is set once and left to fire (it sets the next one), or moved earlier when it waits
    // for expiry while bars arrive again. Moving it on as newer bars arrive starved it whenever the
    // watermark trailed the newest bar by more than its 16 bars, as in any catch-up: nothing was
    // evicted, and a key's history grew by every bar.
    long at = shortMaintenance(h);
    if (h.maintenanceAt() == Long.MIN_VALUE || h.maintenanceAt() > at) {
      maintenance.withNoOutputTimestamp().set(new Instant(at));
      h.setMaintenanceAt(at);
    }
    metrics.update(InferenceMetrics.HISTORY_BARS, h.size());
    histories.put(series, h);
  }

  /** The next routine maintenance: {@link #MAINTENANCE_EVERY_BARS} bars after the newest bar. */
  private static long shortMaintenance(KeyHistory h) {
    return h.newestSeen() + h.timeframe().allowedLateness().toMillis()
        + MAINTENANCE_EVERY_BARS * h.timeframe().barLength().toMillis();
  }

  /**
   * Drops done bars that no future input can reach: anything arriving from now on is at or after the
   * watermark minus the lateness, and reaches back at most the assembler's reach.
   */
  private void evict(KeyHistory h) {
    if (h.resolvedUpTo() == Long.MIN_VALUE) {
      return;
    }
    long lateness = h.timeframe().allowedLateness().toMillis();
    long earliestNeeded = Math.min(h.resolvedUpTo() - lateness, h.oldestPending()) - assembler(h.timeframe()).reachMillis(h.routes());
    metrics.inc(InferenceMetrics.HISTORY_BARS_EVICTED, h.evictDoneBefore(earliestNeeded));
  }

  private void deadLetter(MultiOutputReceiver out, DeadLetter dl) {
    metrics.inc(InferenceMetrics.DEAD_LETTERS + dl.getReason());
    out.get(DEAD_LETTERS).output(dl);
  }

  /**
   * Inputs released by a late-arriving bar or a timer belong to earlier bars; they are output at
   * their own bar time, which the pending timer's hold keeps at or after the watermark.
   */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
