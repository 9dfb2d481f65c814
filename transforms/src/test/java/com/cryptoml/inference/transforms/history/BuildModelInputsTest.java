package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.transforms.ConfigBuilder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.TestData;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lookback history on a stream: out-of-order bars land in their place, duplicates and late bars
 * are dead-lettered, the first bars wait for the watermark, in-order bars are released on arrival,
 * old bars are evicted and a quiet key expires.
 */
@ExtendWith(TestPipelineExtension.class)
public class BuildModelInputsTest {
  static final long HOUR = 3_600_000L;

  /** Two series with the same bar times, BTC and ETH, in the same order: each series is its own history. */
  @Test
  void streamSemantics(TestPipeline p) throws Exception {
    streamSemantics(p, step -> step);
  }

  /**
   * The scenario of {@link #streamSemantics(TestPipeline)} through {@code layout}: the stock step, or a
   * runner's own layout of the same state (the runners module's tests pass theirs).
   */
  public static void streamSemantics(TestPipeline p,
      Function<BuildModelInputs, PTransform<PCollection<FeatureUpdate>, WithDeadLetters<ModelInput>>> layout) throws Exception {
    InferenceConfig config = TestData.config()
        .timeframeSpecificModels(Map.of(Timeframe.H1, List.of("momentum-v1-1h", "swing-high-v2-1h")))
        .build();
    ActiveModels active = TestData.resolve(config);
    List<FeatureUpdate> bars = TestData.history(Timeframe.H1,
        u -> u.getSymbol().equals("BTCUSDT") && u.getExchange().equals("BINANCE") && u.getFeatures().size() == 9, 2000)
        .subList(100, 106);
    for (int i = 1; i < bars.size(); i++) {
      assertEquals(HOUR, bars.get(i).getTimestamp().getMillis() - bars.get(i - 1).getTimestamp().getMillis(), "contiguous");
    }
    long b0 = bars.get(0).getTimestamp().getMillis();
    FeatureUpdate ancient = bars.get(0).toBuilder().setEventId("old").setTimestamp(new Instant(b0 - 10 * HOUR)).build();
    FeatureUpdate duplicate = bars.get(2).toBuilder().setEventId("again").build();

    TestStream<FeatureUpdate> stream = TestStream.create(p.getSchemaRegistry().getSchemaCoder(FeatureUpdate.class))
        .advanceWatermarkTo(new Instant(b0 - HOUR / 2))
        .addElements(at(bars.get(0)), at(bars.get(1)), at(eth(bars.get(0))), at(eth(bars.get(1))))
        .addElements(at(bars.get(2)), at(eth(bars.get(2))))
        .addElements(at(bars.get(3)), at(eth(bars.get(3))))
        .addElements(at(bars.get(5)), at(eth(bars.get(5))))
        .addElements(at(bars.get(4)), at(eth(bars.get(4))))
        .addElements(at(duplicate), at(eth(duplicate)))
        .advanceWatermarkTo(new Instant(b0 + 25 * HOUR))
        .addElements(at(ancient), at(eth(ancient)))
        .advanceWatermarkTo(new Instant(b0 + 10 * 24 * HOUR))
        .advanceWatermarkToInfinity();

    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    WithDeadLetters<ModelInput> out = p.apply(stream).apply(layout.apply(new BuildModelInputs(config, view, Long.MAX_VALUE)));

    List<String> ids = new ArrayList<>();
    for (String symbol : List.of("BTCUSDT", "ETHUSDT")) {
      for (String id : List.of("momentum-v1-1h@0", "momentum-v1-1h@1", "momentum-v1-1h@2", "momentum-v1-1h@3",
          "momentum-v1-1h@4", "momentum-v1-1h@5",
          "swing-high-v2-1h@1", "swing-high-v2-1h@2", "swing-high-v2-1h@3", "swing-high-v2-1h@4", "swing-high-v2-1h@5")) {
        ids.add(symbol + ":" + id);
      }
    }
    PAssert.that(out.output().apply("Ids", MapElements.into(TypeDescriptors.strings())
        .via((ModelInput in) -> in.symbol() + ":" + in.modelId() + "@" + (in.barMillis() - b0) / HOUR)))
        .containsInAnyOrder(ids);

    // Bar 5 arrived before bar 4; its window [3, 4, 5] still holds bar 4's values, in place.
    ModelMetadata v2 = active.forRef("swing-high-v2-1h").metadata();
    double[] expected = new double[27];
    for (int b = 0; b < 3; b++) {
      for (int j = 0; j < 9; j++) {
        expected[b * 9 + j] = bars.get(3 + b).getFeatures().get(v2.features().get(j));
      }
    }
    PAssert.that(out.output()).satisfies(inputs -> {
      for (ModelInput in : inputs) {
        if (in.modelId().equals("swing-high-v2-1h") && in.barMillis() == b0 + 5 * HOUR && in.symbol().equals("BTCUSDT")) {
          assertArrayEquals(expected, in.values());
          assertEquals(List.of(), in.imputed());
        }
        if (in.modelId().equals("swing-high-v2-1h") && in.barMillis() == b0 + HOUR) {
          assertEquals(9, new java.util.HashSet<>(in.imputed()).size(), "bar -1 is a gap: all nine forward-filled or mean");
        }
      }
      return null;
    });
    PAssert.that(out.deadLetters().apply("Reasons", MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.getReason() + ":" + (d.getModelId() == null ? "" : d.getModelId()))))
        .containsInAnyOrder("duplicate_bar:", "late_bar:", "incomplete_features:swing-high-v2-1h",
            "duplicate_bar:", "late_bar:", "incomplete_features:swing-high-v2-1h");

    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(4, counter(result, InferenceMetrics.BARS_READY_ON_TIMER), "bars 0 and 1 of each series waited for the watermark");
    assertEquals(8, counter(result, InferenceMetrics.BARS_READY_ON_ARRIVAL), "bars 2 to 5 did not");
    assertEquals(12, counter(result, InferenceMetrics.HISTORY_BARS_EVICTED));
    assertEquals(2, counter(result, InferenceMetrics.HISTORY_KEYS_EXPIRED));
  }

  static FeatureUpdate eth(FeatureUpdate u) {
    return u.toBuilder().setSymbol("ETHUSDT").setEventId(u.getEventId() + "-eth").build();
  }

  /**
   * A catch-up: bars arrive far ahead of the watermark (40 bars behind the newest). The history still
   * evicts as the watermark moves; it used to move its maintenance timer on with every newer bar, which
   * then never fired, and a key kept every bar until the stream slowed down.
   */
  @Test
  void historyStaysBoundedWhileTheWatermarkTrails(TestPipeline p) throws Exception {
    InferenceConfig config = TestData.config()
        .timeframeSpecificModels(Map.of(Timeframe.H1, List.of("momentum-v1-1h")))
        .build();
    ActiveModels active = TestData.resolve(config);
    List<FeatureUpdate> bars = TestData.history(Timeframe.H1,
        u -> u.getSymbol().equals("BTCUSDT") && u.getExchange().equals("BINANCE") && u.getFeatures().size() == 9, 2000)
        .subList(100, 400);
    TestStream.Builder<FeatureUpdate> stream = TestStream.create(p.getSchemaRegistry().getSchemaCoder(FeatureUpdate.class))
        .advanceWatermarkTo(new Instant(bars.get(0).getTimestamp().getMillis() - HOUR));
    for (int from = 0; from < bars.size(); from += 20) {
      List<FeatureUpdate> chunk = bars.subList(from, from + 20);
      stream = stream.addElements(at(chunk.get(0)), chunk.subList(1, chunk.size()).stream().map(BuildModelInputsTest::at)
          .toArray(TimestampedValue[]::new));
      long trailing = chunk.get(chunk.size() - 1).getTimestamp().getMillis() - 40 * HOUR;
      if (trailing > bars.get(0).getTimestamp().getMillis()) {
        stream = stream.advanceWatermarkTo(new Instant(trailing));
      }
    }
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    WithDeadLetters<ModelInput> out = p.apply(stream.advanceWatermarkToInfinity()).apply(new BuildModelInputs(config, view));
    PAssert.that(out.deadLetters()).empty();

    PipelineResult result = p.run();
    result.waitUntilFinish();
    long most = 0;
    for (MetricResult<org.apache.beam.sdk.metrics.DistributionResult> r : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(InferenceMetrics.NAMESPACE, InferenceMetrics.HISTORY_BARS)).build())
        .getDistributions()) {
      most = Math.max(most, r.getAttempted().getMax());
    }
    assertTrue(most > 40 && most < 150, "the key held at most " + most + " of 300 bars (all 300 before the fix)");
  }

  static TimestampedValue<FeatureUpdate> at(FeatureUpdate u) {
    return TimestampedValue.of(u, u.getTimestamp());
  }

  static long counter(PipelineResult result, String name) {
    List<Long> values = new ArrayList<>();
    for (MetricResult<Long> r : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(InferenceMetrics.NAMESPACE, name)).build()).getCounters()) {
      values.add(r.getAttempted());
    }
    return values.stream().mapToLong(Long::longValue).sum();
  }
}
