package com.cryptoml.inference.transforms.values;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** Model inputs survive the coder whole, one after another in a stream. */
class ModelInputCoderTest {
  private static void assertSame(ModelInput expected, ModelInput actual) {
    assertEquals(expected.symbol(), actual.symbol());
    assertEquals(expected.exchange(), actual.exchange());
    assertEquals(expected.timeframe(), actual.timeframe());
    assertEquals(expected.barMillis(), actual.barMillis());
    assertEquals(expected.modelId(), actual.modelId());
    assertEquals(expected.registryVersion(), actual.registryVersion());
    assertArrayEquals(expected.values(), actual.values());
    assertEquals(expected.imputed(), actual.imputed());
    assertEquals(expected.arrivalMillis(), actual.arrivalMillis());
  }

  @Test
  void roundTripsEveryFieldInsideAList() throws Exception {
    ModelInput a = new ModelInput("BTCUSDT", "BINANCE", "1m", 1_711_000_800_000L, "momentum-v1-1m", "3",
        new double[] {0.5, -1e-300, Double.NaN, Double.MAX_VALUE, -0.0}, List.of("rsi_14", "atr_14"), 1_711_000_801_234L);
    ModelInput b = new ModelInput("ÉTH₿", "OKX", "1d", -5L, "swing-high-v2-1d", "12", new double[0], List.of(), 0L);
    List<ModelInput> back = CoderUtils.clone(ListCoder.of(ModelInput.Coder.of()), List.of(a, b, a));
    assertEquals(3, back.size());
    assertSame(a, back.get(0));
    assertSame(b, back.get(1));
    assertSame(a, back.get(2));
  }
}
