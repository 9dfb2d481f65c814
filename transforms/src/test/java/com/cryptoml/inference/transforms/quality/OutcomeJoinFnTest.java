package com.cryptoml.inference.transforms.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.transforms.config.MonitoringConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stream's outcome join when predictions trail their bars, as they do while a stream catches up. */
@ExtendWith(TestPipelineExtension.class)
class OutcomeJoinFnTest {
  static final long H = 3_600_000L;
  static final long T0 = 1_711_000_800_000L;
  static final String KEY = "BTCUSDT|BINANCE|1h";
  static final int HORIZON = 4;

  static OutcomePart prediction(long bar) {
    long target = T0 + bar * H;
    return OutcomePart.prediction(target, RealizedOutcomes.windowEnd(target, HORIZON, H), "momentum-v1-1h", "1.0.0", "1",
        ModelType.DIRECTIONAL.code(), 1, 0.6, 0.2, 0.2, 0.6);
  }

  @Test
  void barsAreKeptFromTheLatestPredictedBarWhilePredictionsTrail() {
    List<OutcomePart> none = List.of();
    long newest = T0 + 1000 * H;
    // predictions keep up: the spare bars before the newest
    assertEquals(newest - OutcomeJoinFn.SPARE_BARS * H, OutcomeJoinFn.keepFrom(newest, newest, none, H));
    // predictions ahead of the bars (the usual live order): the same
    assertEquals(newest - OutcomeJoinFn.SPARE_BARS * H, OutcomeJoinFn.keepFrom(newest, newest + 5 * H, none, H));
    // predictions 500 bars behind: the bars they still need are kept
    assertEquals(T0 + (500 - OutcomeJoinFn.SPARE_BARS) * H, OutcomeJoinFn.keepFrom(newest, T0 + 500 * H, none, H));
    // no prediction yet, or one further behind than the cap: the cap
    long cap = T0 + 9000 * H - OutcomeJoinFn.MAX_KEPT_BARS * H;
    assertEquals(cap, OutcomeJoinFn.keepFrom(T0 + 9000 * H, null, none, H));
    assertEquals(cap, OutcomeJoinFn.keepFrom(T0 + 9000 * H, T0 + H, none, H));
    // a pending prediction keeps its own bar
    assertEquals(T0 + 10 * H, OutcomeJoinFn.keepFrom(newest, newest, List.of(prediction(10)), H));
  }

  @Test
  void predictionsArrivingHundredsOfBarsAfterTheirBarsStillResolve(TestPipeline p) {
    // 300 hourly bars, all before any prediction, then predictions for bars 10..289: each has its four
    // later bars. Pruning to the newest bars alone kept only the last 64, and most of them expired.
    TestStream.Builder<KV<String, OutcomePart>> in = TestStream.create(KvCoder.of(StringUtf8Coder.of(), OutcomePart.Coder.of()));
    List<TimestampedValue<KV<String, OutcomePart>>> bars = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      bars.add(TimestampedValue.of(KV.of(KEY, OutcomePart.bar(T0 + i * H, i % 2 == 0 ? 0.01 : -0.005, 0.01)), new Instant(T0)));
    }
    in = in.addElements(bars.get(0), bars.subList(1, bars.size()).toArray(TimestampedValue[]::new));
    List<TimestampedValue<KV<String, OutcomePart>>> predictions = new ArrayList<>();
    for (int i = 10; i < 290; i++) {
      predictions.add(TimestampedValue.of(KV.of(KEY, prediction(i)), new Instant(T0)));
    }
    in = in.addElements(predictions.get(0), predictions.subList(1, predictions.size()).toArray(TimestampedValue[]::new));
    PCollection<Outcome> outcomes = p.apply(in.advanceWatermarkToInfinity())
        .apply(ParDo.of(new OutcomeJoinFn(MonitoringConfig.defaults())));
    PAssert.that(outcomes).satisfies(all -> {
      int n = 0;
      for (Outcome o : all) {
        n++;
      }
      assertEquals(280, n);
      return null;
    });
    p.run().waitUntilFinish();
  }
}
