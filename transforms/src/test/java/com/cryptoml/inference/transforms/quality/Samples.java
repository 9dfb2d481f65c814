package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.TestData;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.joda.time.Instant;

/** Hand-made bars and predictions of the committed models, for the quality tests. */
final class Samples {
  private static ActiveModels active;

  private Samples() {}

  static synchronized ActiveModels active() {
    if (active == null) {
      active = TestData.resolve(TestData.config().build());
    }
    return active;
  }

  static FeatureUpdate bar(String tf, long t, double ret, double vol) {
    return bar("BTCUSDT", tf, t, ret, vol);
  }

  static FeatureUpdate bar(String symbol, String tf, long t, double ret, double vol) {
    Map<String, Double> f = new HashMap<>();
    f.put("ret_1", ret);
    f.put("rv_24", vol);
    return FeatureUpdate.builder().setEventId("e" + symbol + tf + t).setTimestamp(new Instant(t)).setSymbol(symbol).setExchange("BINANCE")
        .setTimeframe(tf).setFeatureSetVersion("v1").setFeatures(f).setSource("test").setPayload(null).build();
  }

  static PredictionEvent prediction(String ref, long t, int prediction, double pShort, double pNeutral, double pLong) {
    return prediction("BTCUSDT", ref, t, prediction, pShort, pNeutral, pLong);
  }

  static PredictionEvent prediction(String symbol, String ref, long t, int prediction, double pShort, double pNeutral,
      double pLong) {
    ActiveModels.Entry e = active().forRef(ref);
    Map<String, Double> probs = new HashMap<>();
    if (!Double.isNaN(pShort)) {
      probs.put("short", pShort);
      probs.put("neutral", pNeutral);
      probs.put("long", pLong);
    }
    return PredictionEvent.builder().setEventId("p" + symbol + ref + t).setTimestamp(new Instant(t)).setEnvironment("test")
        .setSubEnvironment("live").setMode("live").setModelId(e.modelId()).setModelVersion(e.version().versionLabel())
        .setSymbol(symbol).setTimeframe(e.metadata().timeframe().code()).setPrediction(prediction)
        .setConfidence(Math.max(pShort, Math.max(pNeutral, pLong))).setExchange("BINANCE")
        .setModelType(e.metadata().modelType().code()).setFeatureTimestamp(new Instant(t))
        .setRegistryVersion(e.version().version()).setProbabilities(probs).setImputedFeatures(List.of())
        .setInferenceLatencyMs(1).setBatchRequestId(null).setModelRef(e.ref()).setModelRole(e.role()).setScore(null).build();
  }

}
