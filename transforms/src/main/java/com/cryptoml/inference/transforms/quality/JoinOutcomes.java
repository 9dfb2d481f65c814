package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.values.Schemas;
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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * A stream's outcome join ({@link OutcomeJoin}): outcome parts keyed by series ({@code
 * symbol|exchange|timeframe}) in, outcomes out, one series per stateful key with one event-time timer.
 */
public final class JoinOutcomes extends PTransform<PCollection<KV<String, OutcomePart>>, PCollection<Outcome>> {
  private final InferenceConfig config;

  public JoinOutcomes(InferenceConfig config) {
    this.config = config;
  }

  /** The join's rules, for runners that keep the same state their own way. */
  public OutcomeJoin join() {
    return new OutcomeJoin(config);
  }

  @Override
  public PCollection<Outcome> expand(PCollection<KV<String, OutcomePart>> parts) {
    return parts.apply("Join", ParDo.of(new JoinFn(join()))).setCoder(Schemas.coder(parts.getPipeline(), Outcome.class));
  }

  static final class JoinFn extends DoFn<KV<String, OutcomePart>, Outcome> {
    @StateId("join")
    private final StateSpec<ValueState<SeriesJoin>> joinSpec = StateSpecs.value(SeriesJoin.Coder.INSTANCE);

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final OutcomeJoin join;

    JoinFn(OutcomeJoin join) {
      this.join = join;
    }

    @ProcessElement
    public void process(@Element KV<String, OutcomePart> part, @StateId("join") ValueState<SeriesJoin> state,
        @TimerId("expire") Timer expire, OutputReceiver<Outcome> out) {
      SeriesJoin updated = join.onPart(part.getKey(), state.read(), part.getValue(), out::output);
      state.write(updated);
      Long deadline = join.deadline(updated);
      if (deadline != null) {
        expire.set(new Instant(deadline));
      }
    }

    @OnTimer("expire")
    public void onExpire(OnTimerContext c, @StateId("join") ValueState<SeriesJoin> state, @TimerId("expire") Timer expire) {
      SeriesJoin stored = state.read();
      if (stored == null) {
        return;
      }
      SeriesJoin kept = join.onExpire(stored, c.fireTimestamp().getMillis());
      if (kept == null) {
        state.clear();
      } else {
        state.write(kept);
        expire.set(new Instant(join.deadline(kept)));
      }
    }
  }
}
