package com.cryptoml.inference.runners.direct;

import com.cryptoml.inference.transforms.quality.JoinOutcomes;
import com.cryptoml.inference.transforms.quality.Outcome;
import com.cryptoml.inference.transforms.quality.OutcomeJoin;
import com.cryptoml.inference.transforms.quality.OutcomePart;
import com.cryptoml.inference.transforms.quality.SeriesJoin;
import com.cryptoml.inference.transforms.values.Schemas;
import org.apache.beam.sdk.coders.Coder;
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
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * {@link JoinOutcomes} with the series spread over a few state keys ({@link StateShards}): each key's
 * {@code MapState} holds its series' joins, and each series has its timer in the {@code expire}
 * family. What a part or a timer does is the same {@link OutcomeJoin}. See
 * docs/decisions/state-shards.md.
 */
final class ShardedJoinOutcomes extends PTransform<PCollection<KV<String, OutcomePart>>, PCollection<Outcome>> {
  private final OutcomeJoin join;
  private final int shards;

  ShardedJoinOutcomes(JoinOutcomes stock, int shards) {
    this.join = stock.join();
    this.shards = StateShards.checked(shards);
  }

  @Override
  @SuppressWarnings("unchecked")
  public PCollection<Outcome> expand(PCollection<KV<String, OutcomePart>> parts) {
    int n = shards;
    Coder<OutcomePart> partCoder = ((KvCoder<String, OutcomePart>) parts.getCoder()).getValueCoder();
    return parts
        .apply("ByStateShard", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(OutcomePart.class))))
            .via((KV<String, OutcomePart> p) -> KV.of(StateShards.key(p.getKey(), n), p)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), partCoder)))
        .apply("ShardedJoin", ParDo.of(new ShardedJoinFn(join)))
        .setCoder(Schemas.coder(parts.getPipeline(), Outcome.class));
  }

  /** Many series per key: one entry of the key's map and one {@code expire} timer per series. */
  static final class ShardedJoinFn extends DoFn<KV<String, KV<String, OutcomePart>>, Outcome> {
    @StateId("series")
    private final StateSpec<MapState<String, SeriesJoin>> seriesSpec =
        StateSpecs.map(new SameInstanceCoder<>(StringUtf8Coder.of()), new SameInstanceCoder<>(SeriesJoin.Coder.INSTANCE));

    @TimerFamily("expire")
    private final TimerSpec expireSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

    private final OutcomeJoin join;

    ShardedJoinFn(OutcomeJoin join) {
      this.join = join;
    }

    @ProcessElement
    public void process(@Element KV<String, KV<String, OutcomePart>> e, @StateId("series") MapState<String, SeriesJoin> joins,
        @TimerFamily("expire") TimerMap expire, OutputReceiver<Outcome> out) {
      String series = e.getValue().getKey();
      SeriesJoin updated = join.onPart(series, joins.get(series).read(), e.getValue().getValue(), out::output);
      joins.put(series, updated);
      Long deadline = join.deadline(updated);
      if (deadline != null) {
        expire.set(series, new Instant(deadline));
      }
    }

    @OnTimerFamily("expire")
    public void onExpire(@TimerId String series, OnTimerContext c, @StateId("series") MapState<String, SeriesJoin> joins,
        @TimerFamily("expire") TimerMap expire) {
      SeriesJoin stored = joins.get(series).read();
      if (stored == null) {
        return;
      }
      SeriesJoin kept = join.onExpire(stored, c.fireTimestamp().getMillis());
      if (kept == null) {
        joins.remove(series);
      } else {
        joins.put(series, kept);
        expire.set(series, new Instant(join.deadline(kept)));
      }
    }
  }
}
