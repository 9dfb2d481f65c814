package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.metrics.BundleMetrics;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.DeadLetterReason;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * What happens to one series' lookback history (one symbol, exchange and timeframe) when a bar
 * arrives or one of its two timers fires, whatever keyed state holds it. For each bar: drop
 * duplicates and bars later than the allowed lateness, insert it in event-time order, and once
 * everything its inputs depend on is known (see {@link InputAssembler}) emit one {@link ModelInput}
 * per model routed to its timeframe, or a dead letter for a model that cannot be fed. The same code
 * behaves the same on bounded input (arbitrary order, resolved at the end) and unbounded input (in
 * order: at once; out of order: when the missing bar arrives or the watermark says it will not).
 *
 * <p>Two event-time timers per series: {@code pending} fires when a bar a pending bar waits for
 * becomes known missing and holds the watermark at the oldest pending bar; {@code maintenance}
 * advances what is known of the watermark, drops bars no future input can reach, and removes the
 * series after {@code max_feature_age} without new bars. {@link BarHistoryFn} keeps one series per
 * key in a {@code ValueState}; a runner's own layout can keep many (see the runners module).
 */
public final class HistoryUpdates implements Serializable {
  /** Maintenance runs this many bars after the newest bar (and again when the key goes quiet). */
  static final int MAINTENANCE_EVERY_BARS = 16;

  private final InferenceConfig config;
  /** Live mode: delays against the wall clock mean something (not in a backfill). */
  private final boolean live;
  private final long maxDisorderMillis;

  /** @param maxDisorderMillis how far behind its key's newest bar a bar may arrive (no limit: Long.MAX_VALUE) */
  public HistoryUpdates(InferenceConfig config, long maxDisorderMillis) {
    this.config = config;
    this.live = config.live();
    this.maxDisorderMillis = maxDisorderMillis;
  }

  /** What an update does beyond the history itself: outputs and the series' two timers. */
  public interface Effects {
    /** A model input, at its bar's time. */
    void input(ModelInput input, Instant barTime);

    /** A dead letter: at the arriving element's time when {@code barTime} is null. */
    void deadLetter(DeadLetter deadLetter, @Nullable Instant barTime);

    /**
     * Sets the pending timer to fire at {@code fire}, holding the watermark at {@code hold}. A timer
     * can neither fire nor hold before the callback's own timestamp, so both move up to it when they
     * are earlier: the bar is then decided when the watermark passes this element (or sooner, by a
     * newer bar: {@link InputAssembler#knownMissing}).
     */
    void setPending(Instant fire, Instant hold);

    void clearPending();

    /** Sets the maintenance timer, which holds nothing. */
    void setMaintenance(Instant at);
  }

  /**
   * A bar arrives. {@code history} is the series' state (null for a new series); the history to
   * store is returned (the same object, updated).
   */
  public KeyHistory onBar(@Nullable KeyHistory history, FeatureUpdate u, List<RoutedModel> routes, Effects fx, BundleMetrics metrics) {
    Timeframe tf = Timeframe.of(u.getTimeframe()); // validated upstream
    KeyHistory h = history != null ? history : new KeyHistory(u.getSymbol(), u.getExchange(), tf);
    if (!routes.equals(h.routes())) {
      h.setRoutes(routes);
    }
    long t = u.getTimestamp().getMillis();
    long lateness = tf.allowedLateness().toMillis();
    if (h.indexOf(t) >= 0) {
      deadLetter(fx, metrics, DeadLetter.of(DeadLetterReason.DUPLICATE_BAR, "a bar for " + u.getSymbol() + " " + u.getExchange()
          + " " + tf + " at " + u.getTimestamp() + " was already received", u, null));
      return h;
    }
    if (t + lateness <= h.resolvedUpTo()) {
      deadLetter(fx, metrics, DeadLetter.of(DeadLetterReason.LATE_BAR, "bar arrived after the watermark passed it plus the allowed"
          + " lateness " + tf.allowedLateness() + "; inputs around it are already final", u, null));
      return h;
    }
    // Bars ready on arrival set no timer, so the key may not have heard of the watermark: the key's own
    // newest bar bounds it from below (the source's watermark trails it by at most maxDisorder).
    if (maxDisorderMillis != Long.MAX_VALUE && h.newestSeen() != Long.MIN_VALUE
        && t + lateness + maxDisorderMillis <= h.newestSeen()) {
      deadLetter(fx, metrics, DeadLetter.of(DeadLetterReason.LATE_BAR, "bar is more than the allowed disorder "
          + Duration.millis(maxDisorderMillis) + " plus lateness " + tf.allowedLateness() + " older than the newest bar of its key", u, null));
      return h;
    }
    long arrival = System.currentTimeMillis();
    h.insert(t, arrival, u.getFeatures(), u.getSource(), u.getPayload());
    if (live) {
      InferenceMetrics.latency(InferenceMetrics.EVENT_DELAY).update(arrival - t);
    }
    metrics.inc(InferenceMetrics.BARS_READY_ON_ARRIVAL, emitReady(h, fx, metrics));
    finish(h, fx, metrics);
    return h;
  }

  /** The pending timer fired at {@code firedAt}: the watermark passed it. */
  public KeyHistory onPending(KeyHistory h, Instant firedAt, Effects fx, BundleMetrics metrics) {
    h.advanceResolvedUpTo(firedAt.getMillis());
    if (live) {
      // The timer fires once the input watermark passes its time: how far the watermark trails the clock.
      InferenceMetrics.gauge(InferenceMetrics.WATERMARK_LAG).set(System.currentTimeMillis() - firedAt.getMillis());
    }
    h.setPendingTimerAt(Long.MIN_VALUE); // it just fired
    metrics.inc(InferenceMetrics.BARS_READY_ON_TIMER, emitReady(h, fx, metrics));
    finish(h, fx, metrics);
    return h;
  }

  /**
   * The maintenance timer fired at {@code firedAt}. Returns null when the series expired: its state
   * is to be removed and its pending timer cleared.
   */
  public @Nullable KeyHistory onMaintenance(KeyHistory h, Instant firedAt, Effects fx, BundleMetrics metrics) {
    long now = firedAt.getMillis();
    if (!h.hasPending() && now >= h.newestSeen() + config.options().getMaxFeatureAge().toMillis()) {
      // The key went quiet for max_feature_age: nothing it holds is usable any more. A bar that
      // arrives later is older than max_feature_age too, which validation rejects against the clock.
      metrics.inc(InferenceMetrics.HISTORY_KEYS_EXPIRED);
      return null; // this timer just fired and is not set again
    }
    // Pending bars are settled by their own, earlier timer; here only what the watermark implies.
    h.advanceResolvedUpTo(now);
    evict(h, metrics);
    long at = shortMaintenance(h);
    if (at <= now) {
      at = h.newestSeen() + config.options().getMaxFeatureAge().toMillis(); // quiet key: next stop is expiry
    }
    fx.setMaintenance(new Instant(at));
    h.setMaintenanceAt(at);
    return h;
  }

  private InputAssembler assembler(Timeframe tf) {
    return new InputAssembler(tf.barLength().toMillis(), tf.allowedLateness().toMillis(), config.options().getMaxFeatureAge().toMillis(),
        config.forwardFillBars(tf), config.options().getImputation(), config.options().getMaxImputedFraction(), maxDisorderMillis);
  }

  /** Emits every pending bar whose inputs are all decidable, oldest first; returns how many. */
  private int emitReady(KeyHistory h, Effects fx, BundleMetrics metrics) {
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
          fx.input(new ModelInput(h.symbol(), h.exchange(), h.timeframe().code(), h.time(i),
              m.modelId(), m.registryVersion(), o.values(), o.imputed(), h.arrival(i)), barTime);
        } else {
          DeadLetter dl = DeadLetter.builder().setReason(DeadLetterReason.INCOMPLETE_FEATURES.code())
              .setStage(DeadLetterReason.INCOMPLETE_FEATURES.stage()).setDetail(o.detail())
              .setSource(h.source(i) == null ? "" : h.source(i)).payload(h.payload(i) == null ? "" : h.payload(i))
              .setSymbol(h.symbol()).setExchange(h.exchange()).setTimeframe(h.timeframe().code())
              .setModelId(m.modelId()).setFeatureTimestamp(barTime).build();
          metrics.inc(InferenceMetrics.DEAD_LETTERS + dl.getReason());
          fx.deadLetter(dl, barTime);
        }
      }
      h.markDone(i);
      emitted++;
    }
    return emitted;
  }

  private void finish(KeyHistory h, Effects fx, BundleMetrics metrics) {
    evict(h, metrics);
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
      fx.setPending(new Instant(fire), new Instant(hold));
      h.setPendingTimerAt(fire);
    } else if (h.pendingTimerAt() != Long.MIN_VALUE) {
      fx.clearPending();
      h.setPendingTimerAt(Long.MIN_VALUE);
    }
    // Maintenance is set once and left to fire (it sets the next one), or moved earlier when it waits
    // for expiry while bars arrive again. Moving it on with every newer bar would starve it whenever the
    // watermark trails the newest bar by more than its 16 bars, as in any catch-up: nothing would be
    // evicted, and a key's history would grow by every bar.
    long at = shortMaintenance(h);
    if (h.maintenanceAt() == Long.MIN_VALUE || h.maintenanceAt() > at) {
      fx.setMaintenance(new Instant(at));
      h.setMaintenanceAt(at);
    }
    metrics.update(InferenceMetrics.HISTORY_BARS, h.size());
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
  private void evict(KeyHistory h, BundleMetrics metrics) {
    if (h.resolvedUpTo() == Long.MIN_VALUE) {
      return;
    }
    long lateness = h.timeframe().allowedLateness().toMillis();
    long earliestNeeded = Math.min(h.resolvedUpTo() - lateness, h.oldestPending()) - assembler(h.timeframe()).reachMillis(h.routes());
    metrics.inc(InferenceMetrics.HISTORY_BARS_EVICTED, h.evictDoneBefore(earliestNeeded));
  }

  private static void deadLetter(Effects fx, BundleMetrics metrics, DeadLetter dl) {
    metrics.inc(InferenceMetrics.DEAD_LETTERS + dl.getReason());
    fx.deadLetter(dl, null);
  }
}
