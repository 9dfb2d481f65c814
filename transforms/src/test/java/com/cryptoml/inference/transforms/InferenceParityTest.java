package com.cryptoml.inference.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.ResourceHintSpec;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same composite over the same history gives the same predictions whether it runs over a
 * bounded collection (batch) or over a stream whose bars arrive out of order within the allowed
 * lateness: same event ids, same predictions, same imputations, and the same probabilities up to
 * the last bit of a float32 (TensorFlow's CPU kernels are not batch-invariant, and the two runs
 * batch differently; see transforms/README.md). Two batch runs are bit-identical.
 */
@ExtendWith(TestPipelineExtension.class)
class InferenceParityTest {

  static InferenceConfig config;
  static ActiveModels active;
  static List<FeatureUpdate> updates;
  static List<String> bounded;

  @BeforeAll
  static void batchRun() {
    config = TestData.config().batchSize(8).build();
    active = TestData.resolve(config);
    assertTrue(active.refusals().isEmpty(), active.refusals().toString());
    updates = new ArrayList<>();
    updates.addAll(TestData.history(Timeframe.H1, u -> !u.getSymbol().equals("SOLUSDT") && u.getExchange().equals("BINANCE")
        && u.getTimestamp().getMillis() >= TestData.END.toEpochMilli() - 40 * 3_600_000L, Integer.MAX_VALUE));
    updates.addAll(TestData.history(Timeframe.M5, u -> u.getSymbol().equals("BTCUSDT") && u.getExchange().equals("OKX")
        && u.getTimestamp().getMillis() >= TestData.END.toEpochMilli() - 30 * 300_000L, Integer.MAX_VALUE));

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    List<TimestampedValue<FeatureUpdate>> timestamped = updates.stream()
        .map(u -> TimestampedValue.of(u, u.getTimestamp())).collect(Collectors.toList());
    Coder<FeatureUpdate> coder = schemaCoder(p);
    InferenceResult out = p.apply(Create.timestamped(timestamped).withCoder(coder))
        .apply(InferenceTransform.batch(config, view, null));
    out.output().apply(MapElements.into(TypeDescriptors.strings()).via(InferenceParityTest::canonical))
        .apply(new Collect("bounded"));
    p.run().waitUntilFinish();
    bounded = Collect.get("bounded");
  }

  @Test
  void aSecondBatchRunIsBitIdentical() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    List<TimestampedValue<FeatureUpdate>> timestamped = updates.stream()
        .map(u -> TimestampedValue.of(u, u.getTimestamp())).collect(Collectors.toList());
    p.apply(Create.timestamped(timestamped).withCoder(schemaCoder(p)))
        .apply(InferenceTransform.batch(config, view, null)).output()
        .apply(MapElements.into(TypeDescriptors.strings()).via(InferenceParityTest::canonical))
        .apply(new Collect("bounded-again"));
    p.run().waitUntilFinish();
    assertEquals(new java.util.TreeSet<>(bounded), new java.util.TreeSet<>(Collect.get("bounded-again")));
  }

  @Test
  void anInferenceStepPerModelTypeGivesIdenticalPredictions() {
    // Resource hints split the step by model type (swing_points and pattern_completion get their
    // own, the others share one); batches stay per model version, so nothing changes but placement.
    InferenceConfig split = ConfigBuilder.from(config)
        .resourceHint(ModelType.SWING_POINTS, new ResourceHintSpec(null, "8GB"))
        .resourceHint(ModelType.PATTERN_COMPLETION, new ResourceHintSpec("type:nvidia-tesla-t4;count:1;install-nvidia-driver", "16GB"))
        .build();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    List<TimestampedValue<FeatureUpdate>> timestamped = updates.stream()
        .map(u -> TimestampedValue.of(u, u.getTimestamp())).collect(Collectors.toList());
    p.apply(Create.timestamped(timestamped).withCoder(schemaCoder(p)))
        .apply(InferenceTransform.batch(split, view, null)).output()
        .apply(MapElements.into(TypeDescriptors.strings()).via(InferenceParityTest::canonical))
        .apply(new Collect("by-model-type"));
    java.util.Set<String> steps = new java.util.TreeSet<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
        if (node.getFullName().matches(".*/Predict/Predict [a-z_ ]+")) {
          steps.add(node.getFullName().replaceAll(".*/Predict/", "") + (node.getTransform().getResourceHints().hints().isEmpty() ? "" : " (hinted)"));
        }
        return CompositeBehavior.ENTER_TRANSFORM;
      }
    });
    assertEquals(Set.of("Predict swing_points (hinted)", "Predict pattern_completion (hinted)", "Predict other types"), steps);
    p.run().waitUntilFinish();
    assertEquals(new java.util.TreeSet<>(bounded), new java.util.TreeSet<>(Collect.get("by-model-type")));
  }

  static Coder<FeatureUpdate> schemaCoder(Pipeline p) {
    try {
      return p.getSchemaRegistry().getSchemaCoder(FeatureUpdate.class);
    } catch (org.apache.beam.sdk.schemas.NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What must be identical between runs: everything but wall-clock time and latency. */
  static String canonical(PredictionEvent e) {
    return String.join("|", e.getEventId(), e.getModelId(), e.getModelVersion(), e.getSymbol(), e.getExchange(),
        e.getTimeframe(), e.getFeatureTimestamp().toString(), String.valueOf(e.getPrediction()),
        e.getImputedFeatures().toString(), String.valueOf(e.getConfidence()), new TreeMap<>(e.getProbabilities()).toString());
  }

  /** Event id to its canonical line. */
  static java.util.Map<String, String> byEventId(Iterable<String> lines) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (String line : lines) {
      if (out.put(line.substring(0, line.indexOf('|')), line) != null) {
        throw new AssertionError("duplicate event id in " + line);
      }
    }
    return out;
  }

  /** Same event ids, identical discrete fields, probabilities and confidence within float32 noise. */
  static void assertSamePredictions(List<String> expected, Iterable<String> actual) {
    java.util.Map<String, String> want = byEventId(expected);
    java.util.Map<String, String> got = byEventId(actual);
    assertEquals(want.keySet(), got.keySet(), "event ids");
    for (String id : want.keySet()) {
      String[] a = want.get(id).split("\\|", 10);
      String[] b = got.get(id).split("\\|", 10);
      for (int i = 0; i < 9; i++) {
        assertEquals(a[i], b[i], want.get(id) + " vs " + got.get(id));
      }
      double[] x = numbers(a[9]);
      double[] y = numbers(b[9]);
      assertEquals(x.length, y.length);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 2.5e-6, want.get(id) + " vs " + got.get(id));
      }
    }
  }

  private static double[] numbers(String s) {
    return java.util.regex.Pattern.compile("-?[0-9]+\\.?[0-9]*(E-?[0-9]+)?").matcher(s).results()
        .mapToDouble(m -> Double.parseDouble(m.group())).toArray();
  }

  @Test
  void boundedRunPredictsEveryBarForEveryRoutedModel() {
    long hourly = updates.stream().filter(u -> u.getTimeframe().equals("1h")).count();
    long fiveMinute = updates.size() - hourly;
    // 4 models on 1h; swing-high-v2-1h (lookback 3) skips the first bar of each key, whose two
    // predecessors are not in the data (2 of 3 bars imputed > 50%); pattern-v1-5m (lookback 8) skips
    // the first 3 (the fourth has 4 of 8 bars, exactly 50%).
    assertEquals(4 * hourly - 2 + fiveMinute - 3, bounded.size());
    assertEquals(bounded.size(), Set.copyOf(bounded).size(), "event ids are unique");
  }

  @Test
  void outOfOrderStreamGivesIdenticalPredictions(TestPipeline streaming) {
    Coder<FeatureUpdate> coder = schemaCoder(streaming);
    // Arrival order: event time, but every key's bars swapped in pairs (t+1 before t).
    List<FeatureUpdate> arrival = new ArrayList<>(updates);
    arrival.sort(Comparator.comparing((FeatureUpdate u) -> u.getTimestamp()).thenComparing(FeatureUpdate::historyKey));
    List<FeatureUpdate> shuffled = new ArrayList<>();
    java.util.Map<String, FeatureUpdate> held = new java.util.HashMap<>();
    for (FeatureUpdate u : arrival) {
      FeatureUpdate first = held.remove(u.historyKey());
      if (first == null) {
        held.put(u.historyKey(), u);
      } else {
        shuffled.add(u);
        shuffled.add(first);
      }
    }
    shuffled.addAll(held.values());

    TestStream.Builder<FeatureUpdate> stream = TestStream.create(coder);
    long watermark = Long.MIN_VALUE;
    for (FeatureUpdate u : shuffled) {
      long w = u.getTimestamp().getMillis() - 3_600_001L; // an hour behind: nothing is late
      if (w > watermark) {
        watermark = w;
        stream = stream.advanceWatermarkTo(new Instant(w));
      }
      stream = stream.addElements(TimestampedValue.of(u, u.getTimestamp()));
    }
    ModelsView view = ModelsView.of(streaming.apply("Models", Create.of(active)).apply(View.asSingleton()));
    InferenceResult out = streaming.apply(stream.advanceWatermarkToInfinity())
        .apply(InferenceTransform.streaming(config, view));
    List<String> expected = bounded;
    PAssert.that(out.output().apply("Canonical", MapElements.into(TypeDescriptors.strings()).via(InferenceParityTest::canonical)))
        .satisfies(actual -> {
          assertSamePredictions(expected, actual);
          return null;
        });
    PAssert.that(out.output().apply("Json", MapElements.into(TypeDescriptors.strings()).via(EventJson::prediction)))
        .satisfies(jsons -> {
          for (String json : jsons) {
            assertEquals(Set.of(), JsonSchemas.validate(JsonSchemas.PREDICTION, json), json);
          }
          return null;
        });
    PAssert.that(out.deadLetters().apply("Reasons", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::getReason)))
        .satisfies(reasons -> {
          reasons.forEach(r -> assertEquals("incomplete_features", r));
          return null;
        });
    streaming.run().waitUntilFinish();
  }
}
