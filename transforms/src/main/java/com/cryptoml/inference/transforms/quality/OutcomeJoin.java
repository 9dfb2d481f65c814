package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A stream's join of predictions with their outcomes for one series (symbol, exchange and timeframe),
 * whatever keyed state holds it: the recent bars' returns and volatilities and the pending
 * predictions are kept; a prediction resolves as soon as the last bar of its horizon arrives. One
 * event-time timer per series ({@link #deadline}) expires predictions whose horizon the watermark
 * passed with a bar missing, and prunes old bars. {@link JoinOutcomes} keeps one series per key.
 */
public final class OutcomeJoin implements Serializable {
  /** Bars kept before the latest predicted bar (and any pending one), for predictions that arrive late. */
  static final int SPARE_BARS = 64;
  /**
   * At most this many bars behind the newest are kept for predictions still to come. Predictions trail
   * their key's bars by the pipeline's lag: a stream catching up on a backlog takes in hundreds of bars
   * per key in one bundle before their predictions arrive, and pruning to the newest bars alone would
   * leave those predictions without outcomes.
   */
  static final int MAX_KEPT_BARS = 4096;

  private final InferenceConfig config;

  public OutcomeJoin(InferenceConfig config) {
    this.config = config;
  }

  /** A part arrives for {@code series}; returns the state to keep. */
  public SeriesJoin onPart(String series, @Nullable SeriesJoin stored, OutcomePart part, Consumer<Outcome> out) {
    String[] key = series.split("\\|");
    long bar = Timeframe.of(key[2]).barLength().toMillis();
    SeriesJoin join = stored == null ? new SeriesJoin(new TreeMap<>(), new ArrayList<>(), null)
        : new SeriesJoin(stored.bars, new ArrayList<>(stored.pending), stored.predicted);
    if (part.kind == OutcomePart.BAR) {
      join.bars.put(part.bar, new double[] {part.value, part.vol});
    } else {
      join.pending.add(part);
      if (join.predicted == null || part.target > join.predicted) {
        join.predicted = part.target;
      }
    }
    resolve(key, bar, part, join.bars, join.pending, out);
    join.bars.headMap(keepFrom(join.bars.isEmpty() ? part.target : join.bars.lastKey(), join.predicted, join.pending, bar)).clear();
    return join;
  }

  /** When the series' timer should fire next, or null when nothing is pending. */
  public @Nullable Long deadline(SeriesJoin join) {
    return join.pending.isEmpty() ? null : join.pending.stream().mapToLong(p -> p.windowEnd).min().getAsLong();
  }

  /** The series' timer fired at {@code now}; returns the state to keep, or null to remove it. */
  public @Nullable SeriesJoin onExpire(SeriesJoin stored, long now) {
    List<OutcomePart> pending = new ArrayList<>(stored.pending);
    for (Iterator<OutcomePart> it = pending.iterator(); it.hasNext(); ) {
      if (it.next().windowEnd <= now) { // the watermark passed the horizon and a bar: the missing bar is not coming
        InferenceMetrics.counter(InferenceMetrics.OUTCOMES_EXPIRED).inc();
        it.remove();
      }
    }
    return pending.isEmpty() ? null : new SeriesJoin(stored.bars, pending, stored.predicted); // a quiet series starts afresh
  }

  static int horizon(OutcomePart p, long bar) {
    return (int) ((p.windowEnd - p.target) / bar) - 1;
  }

  private void resolve(String[] key, long bar, OutcomePart arrived, TreeMap<Long, double[]> bars, List<OutcomePart> pending,
      Consumer<Outcome> out) {
    for (Iterator<OutcomePart> it = pending.iterator(); it.hasNext(); ) {
      OutcomePart p = it.next();
      boolean affected = arrived.kind == OutcomePart.BAR ? p.target <= arrived.bar && arrived.bar < p.windowEnd : p == arrived;
      if (!affected) {
        continue;
      }
      double[] at = bars.get(p.target);
      Double vol = at == null || Double.isNaN(at[1]) ? null : at[1];
      Outcome o = OutcomeRule.resolve(p, horizon(p, bar), bar, t -> {
        double[] b = bars.get(t);
        return b == null || Double.isNaN(b[0]) ? null : b[0];
      }, vol, config, key[0], key[1], key[2]);
      if (o != null) {
        InferenceMetrics.counter(InferenceMetrics.OUTCOMES + p.modelId).inc();
        out.accept(o);
        it.remove();
      }
    }
  }

  /**
   * The oldest bar to keep: {@link #SPARE_BARS} before the latest predicted bar (or the newest bar, when
   * the predictions are ahead), and every pending prediction's bar, but not more than {@link
   * #MAX_KEPT_BARS} behind the newest bar; before any prediction, that many.
   */
  static long keepFrom(long newest, Long predicted, List<OutcomePart> pending, long bar) {
    long floor = newest - MAX_KEPT_BARS * bar;
    long keepFrom = predicted == null ? floor : Math.max(floor, Math.min(newest, predicted) - SPARE_BARS * bar);
    for (OutcomePart p : pending) {
      keepFrom = Math.min(keepFrom, p.target);
    }
    return keepFrom;
  }
}
