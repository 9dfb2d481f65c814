package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.coders.MapStateCoders;
import com.cryptoml.inference.transforms.coders.Packed;
import com.cryptoml.inference.transforms.coders.PackedCoder;
import com.cryptoml.inference.transforms.config.MonitoringConfig;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.TimerMap;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A stream's join of predictions with their outcomes, per symbol, exchange and timeframe: the recent
 * bars' returns and volatilities and the pending predictions are kept in state; a prediction resolves
 * as soon as the last bar of its horizon arrives. One element per bar and per prediction, keyed by
 * state key (the series, or a shard of series: {@link com.cryptoml.inference.transforms.sharding.StateShards})
 * with the series beside the part; each series has one entry in the key's map and one timer in the
 * {@code expire} family, which expires predictions whose horizon the watermark passed with a bar
 * missing and prunes old bars.
 */
final class OutcomeJoinFn extends DoFn<KV<String, KV<String, OutcomePart>>, Outcome> {
  /** Bars kept before the latest predicted bar (and any pending one), for predictions that arrive late. */
  static final int SPARE_BARS = 64;
  /**
   * At most this many bars behind the newest are kept for predictions still to come. Predictions trail
   * their key's bars by the pipeline's lag: a stream catching up on a backlog takes in hundreds of bars
   * per key in one bundle before their predictions arrive, and pruning to the newest bars alone left
   * those predictions without outcomes (they expired, one timer at a time over a long pending list).
   */
  static final int MAX_KEPT_BARS = 4096;

  /** Per series, its recent bars, its pending predictions and the latest predicted bar: one entry, one copy. */
  @StateId("series")
  private final StateSpec<MapState<String, SeriesJoin>> seriesSpec;

  @TimerFamily("expire")
  private final TimerSpec expireSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

  private final MonitoringConfig config;

  /** @param options the pipeline's: its runner picks the state's coders ({@link MapStateCoders}) */
  OutcomeJoinFn(MonitoringConfig config, PipelineOptions options) {
    this.config = config;
    this.seriesSpec = StateSpecs.map(MapStateCoders.forRunner(options, StringUtf8Coder.of()),
        MapStateCoders.forRunner(options, SeriesJoin.Coder.INSTANCE));
  }

  static int horizon(OutcomePart p, long bar) {
    return (int) ((p.windowEnd - p.target) / bar) - 1;
  }

  @ProcessElement
  public void process(@Element KV<String, KV<String, OutcomePart>> e, @StateId("series") MapState<String, SeriesJoin> joins,
      @TimerFamily("expire") TimerMap expire, OutputReceiver<Outcome> out) {
    String series = e.getValue().getKey();
    String[] key = series.split("\\|");
    long bar = Timeframe.of(key[2]).barLength().toMillis();
    SeriesJoin stored = joins.get(series).read();
    SeriesJoin join = stored == null ? new SeriesJoin(new TreeMap<>(), new ArrayList<>(), null)
        : new SeriesJoin(stored.bars, new ArrayList<>(stored.pending), stored.predicted);
    OutcomePart part = e.getValue().getValue();
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
    joins.put(series, join);
    if (!join.pending.isEmpty()) {
      expire.set(series, new Instant(earliestDeadline(join.pending)));
    }
  }

  @OnTimerFamily("expire")
  public void onExpire(@TimerId String series, OnTimerContext c, @StateId("series") MapState<String, SeriesJoin> joins,
      @TimerFamily("expire") TimerMap expire) {
    SeriesJoin stored = joins.get(series).read();
    if (stored == null) {
      return;
    }
    List<OutcomePart> pending = new ArrayList<>(stored.pending);
    long now = c.fireTimestamp().getMillis();
    for (Iterator<OutcomePart> it = pending.iterator(); it.hasNext(); ) {
      if (it.next().windowEnd <= now) { // the watermark passed the horizon and a bar: the missing bar is not coming
        InferenceMetrics.counter(InferenceMetrics.OUTCOMES_EXPIRED).inc();
        it.remove();
      }
    }
    if (pending.isEmpty()) { // a quiet series; its next bar starts afresh
      joins.remove(series);
    } else {
      joins.put(series, new SeriesJoin(stored.bars, pending, stored.predicted));
      expire.set(series, new Instant(earliestDeadline(pending)));
    }
  }

  private void resolve(String[] key, long bar, OutcomePart arrived, TreeMap<Long, double[]> bars, List<OutcomePart> pending,
      OutputReceiver<Outcome> out) {
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
        out.output(o);
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

  /** One bar past the earliest pending horizon: by then its last bar is late. */
  private static long earliestDeadline(List<OutcomePart> pending) {
    return pending.stream().mapToLong(p -> p.windowEnd).min().getAsLong();
  }

  /** One series' side of the join. */
  static final class SeriesJoin {
    final TreeMap<Long, double[]> bars;
    final List<OutcomePart> pending;
    /** The latest predicted bar seen: where the predictions' side has got to (null: none yet). */
    @Nullable Long predicted;

    SeriesJoin(TreeMap<Long, double[]> bars, List<OutcomePart> pending, @Nullable Long predicted) {
      this.bars = bars;
      this.pending = pending;
      this.predicted = predicted;
    }

    static final class Coder extends AtomicCoder<SeriesJoin> {
      static final Coder INSTANCE = new Coder();
      private static final NullableCoder<Long> PREDICTED = NullableCoder.of(VarLongCoder.of());

      @Override
      public void encode(SeriesJoin join, OutputStream os) throws IOException {
        BarsCoder.INSTANCE.encode(join.bars, os);
        OutcomePart.ListCoder.INSTANCE.encode(join.pending, os);
        PREDICTED.encode(join.predicted, os);
      }

      @Override
      public SeriesJoin decode(InputStream is) throws IOException {
        return new SeriesJoin(BarsCoder.INSTANCE.decode(is), OutcomePart.ListCoder.INSTANCE.decode(is), PREDICTED.decode(is));
      }
    }
  }

  /** Bar time to (return, volatility), NaN where missing. */
  static final class BarsCoder extends PackedCoder<TreeMap<Long, double[]>> {
    static final BarsCoder INSTANCE = new BarsCoder();

    @Override
    protected void put(Packed.Writer out, TreeMap<Long, double[]> bars) {
      out.putInt(bars.size());
      for (Map.Entry<Long, double[]> b : bars.entrySet()) {
        out.putLong(b.getKey()).putDouble(b.getValue()[0]).putDouble(b.getValue()[1]);
      }
    }

    @Override
    protected TreeMap<Long, double[]> get(Packed.Reader in) {
      TreeMap<Long, double[]> bars = new TreeMap<>();
      int n = in.getInt();
      for (int i = 0; i < n; i++) {
        bars.put(in.getLong(), new double[] {in.getDouble(), in.getDouble()});
      }
      return bars;
    }
  }
}
