package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.ConfigBuilder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream's outcome join: each series with its own bars, predictions that trail their bars (as
 * while a stream catches up), parts in any order. The scenarios take the join's layout, so a runner's
 * own layout of the same state passes the same checks (the runners module's tests).
 */
@ExtendWith(TestPipelineExtension.class)
public class JoinOutcomesTest {
  static final long H = 3_600_000L;
  static final long T0 = 1_711_000_800_000L;
  static final String KEY = "BTCUSDT|BINANCE|1h";
  static final int HORIZON = 4;

  static OutcomePart prediction(long bar) {
    long target = T0 + bar * H;
    return OutcomePart.prediction(target, RealizedOutcomes.windowEnd(target, HORIZON, H), "momentum-v1-1h", "1.0.0", "1",
        ModelType.DIRECTIONAL.code(), 1, 0.6, 0.2, 0.2, 0.6);
  }

  static final KvCoder<String, OutcomePart> CODER = KvCoder.of(StringUtf8Coder.of(), OutcomePart.Coder.of());

  /** The join as a step on series-keyed parts. */
  public interface Layout extends java.io.Serializable {
    PTransform<PCollection<KV<String, OutcomePart>>, PCollection<Outcome>> of(JoinOutcomes stock);
  }

  static final Layout STOCK = stock -> stock;

  static TimestampedValue<KV<String, OutcomePart>> part(String series, OutcomePart p) {
    return TimestampedValue.of(KV.of(series, p), new Instant(T0));
  }

  static TestStream.Builder<KV<String, OutcomePart>> add(TestStream.Builder<KV<String, OutcomePart>> in,
      List<TimestampedValue<KV<String, OutcomePart>>> parts) {
    return in.addElements(parts.get(0), parts.subList(1, parts.size()).toArray(TimestampedValue[]::new));
  }

  static PCollection<Outcome> join(TestPipeline p, TestStream.Builder<KV<String, OutcomePart>> in, Layout layout) {
    return p.apply(in.advanceWatermarkToInfinity()).apply(layout.of(new JoinOutcomes(ConfigBuilder.defaults().build())));
  }

  @Test
  void twoSeriesJoinEachWithItsOwnBars(TestPipeline p) {
    twoSeriesJoinEachWithItsOwnBars(p, STOCK);
  }

  /**
   * BTC rises every bar, ETH falls every bar and lacks bar 12. Each prediction must be judged on its
   * own series' bars, and only ETH's predictions whose horizon holds bar 12 (bars 8, 9, 10) expire.
   */
  public static void twoSeriesJoinEachWithItsOwnBars(TestPipeline p, Layout layout) {
    String eth = "ETHUSDT|BINANCE|1h";
    List<TimestampedValue<KV<String, OutcomePart>>> parts = new ArrayList<>();
    for (int i = 0; i <= 20; i++) {
      parts.add(part(KEY, OutcomePart.bar(T0 + i * H, 0.01, 0.01)));
      if (i != 12) {
        parts.add(part(eth, OutcomePart.bar(T0 + i * H, -0.01, 0.01)));
      }
    }
    for (int i = 2; i <= 10; i++) {
      parts.add(part(KEY, prediction(i)));
      parts.add(part(eth, prediction(i)));
    }
    PCollection<Outcome> outcomes = join(p, add(TestStream.create(CODER), parts), layout);
    PAssert.that(outcomes).satisfies(all -> {
      List<Long> btc = new ArrayList<>();
      List<Long> ethBars = new ArrayList<>();
      for (Outcome o : all) {
        boolean isBtc = o.getSymbol().equals("BTCUSDT");
        assertEquals(isBtc ? 1 : -1, o.getRealized(), o.toString());
        (isBtc ? btc : ethBars).add((o.getFeatureTimestamp().getMillis() - T0) / H);
      }
      btc.sort(null);
      ethBars.sort(null);
      assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), btc);
      assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), ethBars);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void barsAreKeptFromTheLatestPredictedBarWhilePredictionsTrail() {
    List<OutcomePart> none = List.of();
    long newest = T0 + 1000 * H;
    // predictions keep up: the spare bars before the newest
    assertEquals(newest - OutcomeJoin.SPARE_BARS * H, OutcomeJoin.keepFrom(newest, newest, none, H));
    // predictions ahead of the bars (the usual live order): the same
    assertEquals(newest - OutcomeJoin.SPARE_BARS * H, OutcomeJoin.keepFrom(newest, newest + 5 * H, none, H));
    // predictions 500 bars behind: the bars they still need are kept
    assertEquals(T0 + (500 - OutcomeJoin.SPARE_BARS) * H, OutcomeJoin.keepFrom(newest, T0 + 500 * H, none, H));
    // no prediction yet, or one further behind than the cap: the cap
    long cap = T0 + 9000 * H - OutcomeJoin.MAX_KEPT_BARS * H;
    assertEquals(cap, OutcomeJoin.keepFrom(T0 + 9000 * H, null, none, H));
    assertEquals(cap, OutcomeJoin.keepFrom(T0 + 9000 * H, T0 + H, none, H));
    // a pending prediction keeps its own bar
    assertEquals(T0 + 10 * H, OutcomeJoin.keepFrom(newest, newest, List.of(prediction(10)), H));
  }

  @Test
  void predictionsArrivingHundredsOfBarsAfterTheirBarsStillResolve(TestPipeline p) {
    // 300 hourly bars, all before any prediction, then predictions for bars 10..289: each has its four
    // later bars, which pruning to the newest 64 bars alone would have dropped.
    TestStream.Builder<KV<String, OutcomePart>> in = TestStream.create(CODER);
    List<TimestampedValue<KV<String, OutcomePart>>> bars = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      bars.add(part(KEY, OutcomePart.bar(T0 + i * H, i % 2 == 0 ? 0.01 : -0.005, 0.01)));
    }
    in = add(in, bars);
    List<TimestampedValue<KV<String, OutcomePart>>> predictions = new ArrayList<>();
    for (int i = 10; i < 290; i++) {
      predictions.add(part(KEY, prediction(i)));
    }
    in = add(in, predictions);
    PCollection<Outcome> outcomes = join(p, in, STOCK);
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

  @Test
  void eachPredictionResolvesWhenTheLastBarItNeedsArrivesInAnyOrder(TestPipeline p) {
    // Predictions for bars 0..19 first, then bars 0..23 in a shuffled order: each waits for its four
    // later bars and sums their returns; a volatility model's also waits for its own bar's volatility.
    TestStream.Builder<KV<String, OutcomePart>> in = TestStream.create(CODER);
    List<TimestampedValue<KV<String, OutcomePart>>> predictions = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      predictions.add(part(KEY, prediction(i)));
      long target = T0 + i * H;
      predictions.add(part(KEY, OutcomePart.prediction(target, RealizedOutcomes.windowEnd(target, HORIZON, H), "vol-v1-1h",
          "1.0.0", "1", ModelType.VOLATILITY.code(), 1, 0.6, Double.NaN, Double.NaN, Double.NaN)));
    }
    in = add(in, predictions);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new java.util.Random(7));
    for (int i : order) {
      in = in.addElements(part(KEY, OutcomePart.bar(T0 + i * H, returnOf(i), 0.01)));
    }
    PCollection<Outcome> outcomes = join(p, in, STOCK);
    PAssert.that(outcomes).satisfies(all -> {
      java.util.Map<Long, Double> realized = new java.util.TreeMap<>();
      int volatility = 0;
      for (Outcome o : all) {
        if (o.getModelType().equals(ModelType.VOLATILITY.code())) {
          volatility++;
        } else {
          realized.put(o.getFeatureTimestamp().getMillis(), o.getRealizedReturn());
        }
      }
      assertEquals(20, realized.size());
      assertEquals(20, volatility);
      for (int i = 0; i < 20; i++) {
        double expected = 0;
        for (int k = 1; k <= HORIZON; k++) {
          expected += returnOf(i + k);
        }
        assertEquals(expected, realized.get(T0 + i * H), 1e-12, "bar " + i);
      }
      return null;
    });
    p.run().waitUntilFinish();
  }

  private static double returnOf(int bar) {
    return (bar % 3 - 1) * 0.001 * (bar + 1);
  }

  @Test
  void aSeriesSideOfTheJoinSurvivesItsCoderInsideAList() throws Exception {
    TreeMap<Long, double[]> bars = new TreeMap<>();
    bars.put(T0, new double[] {0.01, Double.NaN});
    bars.put(T0 + H, new double[] {-0.02, 0.03});
    SeriesJoin full = new SeriesJoin(bars, List.of(prediction(0), prediction(1)), T0 + H);
    SeriesJoin empty = new SeriesJoin(new TreeMap<>(), List.of(), null);
    List<SeriesJoin> back = CoderUtils.clone(ListCoder.of(SeriesJoin.Coder.INSTANCE), List.of(full, empty, full));
    for (int i : new int[] {0, 2}) {
      assertEquals(2, back.get(i).bars.size());
      assertArrayEquals(new double[] {-0.02, 0.03}, back.get(i).bars.get(T0 + H));
      assertTrue(Double.isNaN(back.get(i).bars.get(T0)[1]));
      assertEquals(2, back.get(i).pending.size());
      assertEquals(T0 + H, back.get(i).pending.get(1).target);
      assertEquals(T0 + H, back.get(i).predicted);
    }
    assertTrue(back.get(1).bars.isEmpty());
    assertTrue(back.get(1).pending.isEmpty());
    assertNull(back.get(1).predicted);
  }
}
