package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.transforms.ConfigBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.FaultModels;
import com.cryptoml.inference.transforms.TestData;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
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
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class PredictTest {
  static final long HOUR = 3_600_000L;
  static final long T0 = 1_711_000_800_000L; // 2024-03-21T06:00:00Z

  static ConfigBuilder config(Path registry, String... models) {
    return TestData.config().registryUri(registry.toString()).batchSize(4)
        .timeframeSpecificModels(Map.of(Timeframe.H1, List.of(models)));
  }

  static List<TimestampedValue<ModelInput>> inputs(String model, int bars, int poisonedBar) {
    List<TimestampedValue<ModelInput>> out = new ArrayList<>();
    for (int i = 0; i < bars; i++) {
      double f0 = i == poisonedBar ? 1e6 : 0.01 * i;
      out.add(TimestampedValue.of(new ModelInput("BTCUSDT", "BINANCE", "1h", T0 + i * HOUR, model, "1",
          new double[] {f0, -0.5}, List.of()), new Instant(T0 + i * HOUR)));
    }
    return out;
  }

  static String label(PredictionEvent e) {
    return e.getModelId() + "@" + (e.getFeatureTimestamp().getMillis() - T0) / HOUR;
  }

  static String label(DeadLetter d) {
    return d.getReason() + ":" + d.getModelId() + "@" + (d.getFeatureTimestamp().getMillis() - T0) / HOUR;
  }

  @Test
  void aModelErrorDeadLettersExactlyItsBatchAndEverythingElseFlows(TestPipeline p, @TempDir Path registry) throws Exception {
    InferenceConfig config = config(FaultModels.write(registry, 8), "steady-v1-1h", "fragile-v1-1h").build();
    ActiveModels active = TestData.resolve(config);
    List<TimestampedValue<ModelInput>> all = new ArrayList<>(inputs("steady-v1-1h", 8, 5));
    all.addAll(inputs("fragile-v1-1h", 8, 5));
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    WithDeadLetters<PredictionEvent> out = p.apply(Create.timestamped(all).withCoder(ModelInput.Coder.of()))
        .apply(new Predict(config, view, PredictBatches.Batching.DETERMINISTIC, "req-1"));
    // Batches of 4 in bar order: fragile's bar 5 poisons bars 4..7; steady's same input is fine.
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      expected.add("steady-v1-1h@" + i);
    }
    for (int i = 0; i < 4; i++) {
      expected.add("fragile-v1-1h@" + i);
    }
    PAssert.that(out.output().apply("Labels", MapElements.into(TypeDescriptors.strings()).via(PredictTest::label)))
        .containsInAnyOrder(expected);
    PAssert.that(out.deadLetters().apply("DeadLabels", MapElements.into(TypeDescriptors.strings()).via(PredictTest::label)))
        .containsInAnyOrder("model_error:fragile-v1-1h@4", "model_error:fragile-v1-1h@5", "model_error:fragile-v1-1h@6",
            "model_error:fragile-v1-1h@7");
    PAssert.that(out.deadLetters()).satisfies(dls -> {
      for (DeadLetter d : dls) {
        assertTrue(d.getDetail().contains("input is not finite"), d.getDetail());
        assertTrue(d.getPayload().contains("\"inputs\""), d.getPayload());
      }
      return null;
    });
    PAssert.that(out.output()).satisfies(events -> {
      for (PredictionEvent e : events) {
        assertEquals("req-1", e.getBatchRequestId());
        assertEquals("1.0.0", e.getModelVersion());
      }
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aCallPastTheTimeoutDeadLettersItsRowsWhileOtherModelsFlow(TestPipeline p, @TempDir Path registry) throws Exception {
    InferenceConfig config = config(FaultModels.write(registry, 5000), "steady-v1-1h", "sluggish-v1-1h")
        .predictionTimeoutMs(200).warmupIterations(1).build();
    ActiveModels active = TestData.resolve(config);
    List<TimestampedValue<ModelInput>> all = new ArrayList<>(inputs("steady-v1-1h", 4, -1));
    all.addAll(inputs("sluggish-v1-1h", 4, -1));
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    WithDeadLetters<PredictionEvent> out = p.apply(Create.timestamped(all).withCoder(ModelInput.Coder.of()))
        .apply(new Predict(config, view, PredictBatches.Batching.DETERMINISTIC, null));
    PAssert.that(out.output().apply("Labels", MapElements.into(TypeDescriptors.strings()).via(PredictTest::label)))
        .containsInAnyOrder("steady-v1-1h@0", "steady-v1-1h@1", "steady-v1-1h@2", "steady-v1-1h@3");
    PAssert.that(out.deadLetters().apply("DeadLabels", MapElements.into(TypeDescriptors.strings()).via(PredictTest::label)))
        .containsInAnyOrder("timeout:sluggish-v1-1h@0", "timeout:sluggish-v1-1h@1", "timeout:sluggish-v1-1h@2",
            "timeout:sluggish-v1-1h@3");
    p.run().waitUntilFinish();
  }

  @Test
  void anUnknownVersionIsUnavailable(TestPipeline p, @TempDir Path registry) throws Exception {
    InferenceConfig config = config(FaultModels.write(registry, 8), "steady-v1-1h").build();
    ActiveModels active = TestData.resolve(config);
    List<TimestampedValue<ModelInput>> in = List.of(TimestampedValue.of(new ModelInput("BTCUSDT", "BINANCE", "1h", T0,
        "steady-v1-1h", "7", new double[] {0, 0}, List.of()), new Instant(T0)));
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    WithDeadLetters<PredictionEvent> out = p.apply(Create.timestamped(in).withCoder(ModelInput.Coder.of()))
        .apply(new Predict(config, view, PredictBatches.Batching.STREAMING, null));
    PAssert.that(out.output()).empty();
    PAssert.that(out.deadLetters().apply(MapElements.into(TypeDescriptors.strings()).via(PredictTest::label)))
        .containsInAnyOrder("model_unavailable:steady-v1-1h@0");
    p.run().waitUntilFinish();
  }

  @Test
  void streamingBatchesFormAcrossBundlesUpToBatchSize(TestPipeline p, @TempDir Path registry) throws Exception {
    InferenceConfig config = config(FaultModels.write(registry, 8), "steady-v1-1h").maxBatchWaitMs(50).build();
    ActiveModels active = TestData.resolve(config);
    TestStream.Builder<ModelInput> stream = TestStream.create(ModelInput.Coder.of());
    for (TimestampedValue<ModelInput> in : inputs("steady-v1-1h", 10, -1)) {
      stream = stream.addElements(in); // one element per bundle
    }
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    WithDeadLetters<PredictionEvent> out = p.apply(stream.advanceWatermarkToInfinity())
        .apply(new Predict(config, view, PredictBatches.Batching.STREAMING, null));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add("steady-v1-1h@" + i);
    }
    PAssert.that(out.output().apply(MapElements.into(TypeDescriptors.strings()).via(PredictTest::label)))
        .containsInAnyOrder(expected);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    DistributionResult sizes = distribution(result, InferenceMetrics.BATCH_SIZE);
    assertEquals(10, sizes.getSum());
    assertTrue(sizes.getMax() <= 4, "batch_size bounds every batch: " + sizes);
    assertTrue(sizes.getCount() < 10, "batches formed across one-element bundles: " + sizes);
  }

  /** An inference counter's attempted value, summed over the steps that report it. */
  static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(InferenceMetrics.NAMESPACE, name)).build()).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  static DistributionResult distribution(PipelineResult result, String name) {
    for (MetricResult<DistributionResult> r : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(InferenceMetrics.NAMESPACE, name)).build()).getDistributions()) {
      return r.getAttempted();
    }
    throw new AssertionError("no distribution " + name);
  }
}
