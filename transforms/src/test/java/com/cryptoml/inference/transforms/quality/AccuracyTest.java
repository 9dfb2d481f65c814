package com.cryptoml.inference.transforms.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class AccuracyTest {
  private static Outcome outcome(String version, int i, int prediction, int realized, double pLong) {
    return Outcome.builder().setModelId("momentum-v1-1h").setModelVersion(version).setRegistryVersion(version)
        .setModelType("classifier").setSymbol("BTC-USD").setExchange("binance").setTimeframe("1h")
        .setFeatureTimestamp(new Instant(i * 3_600_000L)).setHorizonBars(4).setPrediction(prediction).setConfidence(0.6)
        .setBrier((1 - pLong) * (1 - pLong)).setRealizedReturn(0.01).setRealized(realized).build();
  }

  /**
   * A backfill's accuracy over outcomes spread across many bundles (one accumulator per bundle and
   * version, merged in state): every outcome counts once, per version.
   */
  @Test
  void everyOutcomeCountsOnceAcrossBundles(TestPipeline p) {
    List<Outcome> in = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      in.add(outcome("1", i, 1, i % 4 == 0 ? -1 : 1, 0.5)); // three in four right
      if (i < 1_000) {
        in.add(outcome("2", i, -1, i % 2 == 0 ? -1 : 0, 0.25)); // one in two right
      }
    }
    PCollection<ModelAccuracy> accuracy = p.apply(Create.of(in)).apply(Reshuffle.viaRandomKey()).apply(Accuracy.overall());
    PAssert.that(accuracy).satisfies(rows -> {
      Map<String, ModelAccuracy> byVersion = new HashMap<>();
      rows.forEach(a -> assertEquals(null, byVersion.put(a.getModelVersion(), a), "one row per version"));
      assertEquals(3_000, byVersion.get("1").getOutcomes());
      assertEquals(0.75, byVersion.get("1").getAccuracy(), 1e-12);
      assertEquals(1_000, byVersion.get("2").getOutcomes());
      assertEquals(0.5, byVersion.get("2").getAccuracy(), 1e-12);
      assertEquals(0.5625, byVersion.get("2").getBrierScore(), 1e-12);
      return null;
    });
    p.run().waitUntilFinish();
  }
}
