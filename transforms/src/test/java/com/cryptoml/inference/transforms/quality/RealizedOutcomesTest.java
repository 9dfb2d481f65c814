package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.ConfigBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.cryptoml.inference.transforms.InferenceResult;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Predictions joined with hand-made bars whose returns give known outcomes: momentum-v1-1h (horizon
 * 4 bars), volatility-v1-15m (horizon 8 bars, expansion), a prediction whose horizon has a gap.
 */
@ExtendWith(TestPipelineExtension.class)
class RealizedOutcomesTest {
  static final long H = 3_600_000L;
  static final long Q = 900_000L;
  static final long T0 = 1_711_000_800_000L; // 2024-03-21T06:00:00Z
  static final InferenceConfig MONITORING = ConfigBuilder.defaults().build(); // ret_1, rv_24, band 0.5
  static ActiveModels active;

  @BeforeAll
  static void models() {
    active = Samples.active();
    assertEquals(4, active.forRef("momentum-v1-1h").metadata().horizonBars());
    assertEquals(8, active.forRef("volatility-v1-15m").metadata().horizonBars());
  }

  /** Hourly bars 0..9 with returns chosen per horizon; bar 7 is missing (a gap). */
  static List<FeatureUpdate> hourlyBars() {
    double[] ret = {0.0, 0.01, 0.01, 0.01, 0.01, -0.02, -0.02, Double.NaN, -0.01, 0.0};
    List<FeatureUpdate> out = new ArrayList<>();
    for (int i = 0; i < ret.length; i++) {
      if (!Double.isNaN(ret[i])) {
        out.add(Samples.bar("1h", T0 + i * H, ret[i], 0.01)); // band: 0.5 x 0.01 x sqrt(4) = 0.01
      }
    }
    return out;
  }

  static String describe(Outcome o) {
    return o.getModelId() + "@" + (o.getFeatureTimestamp().getMillis() - T0) / (o.getTimeframe().equals("1h") ? H : Q)
        + " predicted " + o.getPrediction() + " realized " + o.getRealized();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void outcomesOverTheHorizon(boolean inKey, TestPipeline p) throws NoSuchSchemaException {
    List<FeatureUpdate> bars = new ArrayList<>(hourlyBars());
    // 15m volatility model: bar 0 has volatility 0.01; the next 8 bars' returns have RMS 0.02 (expansion).
    bars.add(Samples.bar("15m", T0, 0.0, 0.01));
    for (int i = 1; i <= 8; i++) {
      bars.add(Samples.bar("15m", T0 + i * Q, i % 2 == 0 ? 0.02 : -0.02, 0.01));
    }
    List<PredictionEvent> predictions = List.of(
        // bar 0: returns of bars 1..4 sum to 0.04 > 0.01: long
        Samples.prediction("momentum-v1-1h", T0, 1, 0.1, 0.2, 0.7),
        // bar 1: bars 2..5: 0.01+0.01+0.01-0.02 = 0.01, not above the band: neutral (called short)
        Samples.prediction("momentum-v1-1h", T0 + H, -1, 0.6, 0.3, 0.1),
        // bar 2: bars 3..6: 0.01+0.01-0.02-0.02 = -0.02 < -0.01: short
        Samples.prediction("momentum-v1-1h", T0 + 2 * H, -1, 0.5, 0.3, 0.2),
        // bar 4: bars 5..8 include the missing bar 7: no outcome
        Samples.prediction("momentum-v1-1h", T0 + 4 * H, 1, 0.2, 0.2, 0.6),
        Samples.prediction("volatility-v1-15m", T0, 1, Double.NaN, Double.NaN, Double.NaN));

    PCollection<Outcome> outcomes = outcomes(p, bars, predictions, inKey);
    PAssert.that(outcomes).satisfies(all -> {
      Map<String, Outcome> byBar = new HashMap<>();
      all.forEach(o -> byBar.put(describe(o), o));
      assertEquals(java.util.Set.of("momentum-v1-1h@0 predicted 1 realized 1", "momentum-v1-1h@1 predicted -1 realized 0",
          "momentum-v1-1h@2 predicted -1 realized -1", "volatility-v1-15m@0 predicted 1 realized 1"), byBar.keySet());
      Outcome first = byBar.get("momentum-v1-1h@0 predicted 1 realized 1");
      assertEquals(0.04, first.getRealizedReturn(), 1e-12);
      assertEquals(4, first.getHorizonBars());
      // Brier: (0.1-0)^2 + (0.2-0)^2 + (0.7-1)^2 = 0.14
      assertEquals(0.14, first.getBrier(), 1e-12);
      assertNull(byBar.get("volatility-v1-15m@0 predicted 1 realized 1").getBrier(), "a scalar model has no class probabilities");
      return null;
    });

    PAssert.that(outcomes.apply(Accuracy.overall())).satisfies(rows -> {
      Map<String, ModelAccuracy> byModel = new HashMap<>();
      rows.forEach(a -> byModel.put(a.getModelId(), a));
      ModelAccuracy m = byModel.get("momentum-v1-1h");
      assertEquals(3, m.getOutcomes());
      assertEquals(2.0 / 3, m.getAccuracy(), 1e-6);
      assertEquals(1, m.getLongPredictions());
      assertEquals(1.0, m.getLongHitRate());
      assertEquals(2, m.getShortPredictions());
      assertEquals(0.5, m.getShortHitRate());
      // Briers: 0.14; (0.6)^2+(0.3-1)^2+(0.1)^2 = 0.86; (0.5-1)^2+0.3^2+0.2^2 = 0.38 -> mean 0.46
      assertEquals(0.46, m.getBrierScore(), 1e-6);
      // confidences 0.7, 0.6, 0.5 fall in three buckets, each with one prediction
      assertEquals(3, m.getCalibration().size());
      CalibrationBucket b = m.getCalibration().get(1);
      assertEquals(0.6, b.getLower(), 1e-9);
      assertEquals(1, b.getCount());
      assertEquals(0.0, b.getAccuracy());
      assertEquals(1.0, byModel.get("volatility-v1-15m").getAccuracy());
      assertNull(byModel.get("volatility-v1-15m").getBrierScore());
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aStreamResolvesWhenTheWatermarkPassesTheHorizonAndDropsLateBars(TestPipeline p) throws NoSuchSchemaException {
    TestStream.Builder<FeatureUpdate> bars = TestStream.create(p.getSchemaRegistry().getSchemaCoder(FeatureUpdate.class));
    List<FeatureUpdate> hourly = hourlyBars();
    for (FeatureUpdate u : hourly.subList(0, 3)) { // bars 0, 1, 2
      bars = bars.addElements(TimestampedValue.of(u, u.getTimestamp()));
    }
    for (int i = 0; i <= 4; i++) { // ETH: bars 0..4 all on time, returns summing to -0.04
      FeatureUpdate u = Samples.bar("ETHUSDT", "1h", T0 + i * H, i == 0 ? 0 : -0.01, 0.01);
      bars = bars.addElements(TimestampedValue.of(u, u.getTimestamp()));
    }
    // The watermark passes bar 1's horizon window [1, 6) before bars 3..5 arrive: they are late for it.
    bars = bars.advanceWatermarkTo(new Instant(T0 + 6 * H + 1));
    for (FeatureUpdate u : hourly.subList(3, hourly.size())) {
      bars = bars.addElements(TimestampedValue.of(u, u.getTimestamp()));
    }
    PCollection<FeatureUpdate> updates = p.apply("Bars", bars.advanceWatermarkToInfinity());
    PCollection<PredictionEvent> predictions = p.apply("Predictions", Create.timestamped(
        TimestampedValue.of(Samples.prediction("momentum-v1-1h", T0 + H, -1, 0.6, 0.3, 0.1), new Instant(T0 + H)),
        TimestampedValue.of(Samples.prediction("momentum-v1-1h", T0 + 5 * H, 1, 0.2, 0.2, 0.6), new Instant(T0 + 5 * H)),
        TimestampedValue.of(Samples.prediction("ETHUSDT", "momentum-v1-1h", T0, -1, 0.7, 0.2, 0.1), new Instant(T0))));
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    PCollection<Outcome> outcomes = PCollectionTuple.of(InferenceResult.VALID_UPDATES, updates)
        .and(InferenceResult.PREDICTIONS, predictions).apply(new RealizedOutcomes(MONITORING, view, false));
    // ETH bar 0's horizon arrived in time: short, as called. BTC bar 1's outcome needed bars 2..5, and
    // 3..5 came after the watermark closed its window: none. BTC bar 5's window [5, 10) is still open
    // when bars 6, 8, 9 arrive, but bar 7 never does: none either.
    PAssert.that(outcomes).satisfies(all -> {
      List<String> got = new ArrayList<>();
      all.forEach(o -> got.add(o.getSymbol() + " " + describe(o)));
      assertEquals(List.of("ETHUSDT momentum-v1-1h@0 predicted -1 realized -1"), got);
      return null;
    });
    p.run().waitUntilFinish();
  }

  PCollection<Outcome> outcomes(TestPipeline p, List<FeatureUpdate> bars, List<PredictionEvent> predictions, boolean inKey)
      throws NoSuchSchemaException {
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    PCollection<FeatureUpdate> updates = p.apply("Bars", Create.timestamped(bars.stream()
        .map(u -> TimestampedValue.of(u, u.getTimestamp())).toList()).withCoder(p.getSchemaRegistry().getSchemaCoder(FeatureUpdate.class)));
    PCollection<PredictionEvent> preds = p.apply("Predictions", Create.timestamped(predictions.stream()
        .map(e -> TimestampedValue.of(e, e.getFeatureTimestamp())).toList())
        .withCoder(p.getSchemaRegistry().getSchemaCoder(PredictionEvent.class)));
    return PCollectionTuple.of(InferenceResult.VALID_UPDATES, updates).and(InferenceResult.PREDICTIONS, preds)
        .apply(new RealizedOutcomes(MONITORING, view, inKey));
  }
}
