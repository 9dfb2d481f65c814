package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.transforms.ConfigBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.InferenceResult;
import com.cryptoml.inference.transforms.TestData;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.cryptoml.inference.transforms.Collect;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(TestPipelineExtension.class)
class DriftTest {
  static final long H = 3_600_000L;
  static ActiveModels active;

  @BeforeAll
  static void models() {
    active = Samples.active();
  }

  /**
   * Four weeks of committed hourly history through swing-high-v1-1h's training histograms, in weekly
   * windows sliding daily, twice: as recorded, and with rsi_14 reading 25 points higher from the third
   * week on (a feature pipeline bug, say). The synthetic market changes regime from week to week, so
   * some features drift in both runs; the shift shows as rsi_14, and only rsi_14, drifting far more in
   * the windows after it, with every other number identical (windows straddling the shift mix both).
   */
  @Test
  void aShiftedFeatureDriftsAndNothingElseChanges() throws Exception {
    long end = TestData.END.toEpochMilli();
    long start = end - 28 * 24 * H;
    long shiftFrom = end - 14 * 24 * H;
    InferenceConfig config = ConfigBuilder.defaults().withDriftWindowBars(7 * 24).withDriftPeriodBars(24).withDriftMinSamples(100).build();
    Map<String, Double> recorded = drift("recorded", config, start, Long.MAX_VALUE, false);
    Map<String, Double> shifted = drift("shifted", config, start, shiftFrom, false);
    assertEquals(recorded, drift("recorded-keyed", config, start, Long.MAX_VALUE, true),
        "a backfill's windows in the key give what Beam windows give");
    assertEquals(recorded.keySet(), shifted.keySet());
    int after = 0;
    for (Map.Entry<String, Double> e : recorded.entrySet()) {
      String[] windowAndFeature = e.getKey().split(" ");
      long windowStart = Long.parseLong(windowAndFeature[0]);
      double before = e.getValue();
      double now = shifted.get(e.getKey());
      if (windowAndFeature[1].equals("rsi_14") && windowStart >= shiftFrom) {
        after++;
        assertTrue(now > config.options().getDriftPsiThreshold() && now > before + 1.0, e.getKey() + ": " + before + " -> " + now);
      } else if (!windowAndFeature[1].equals("rsi_14") || windowStart + 7 * 24 * H <= shiftFrom) {
        assertEquals(before, now, e.getKey());
      }
    }
    assertTrue(after >= 7, "windows wholly after the shift: " + after);
  }

  /** PSI per "windowStart feature" over the history from {@code start}, rsi_14 + 25 from {@code shiftFrom}. */
  private static Map<String, Double> drift(String name, InferenceConfig config, long start, long shiftFrom, boolean inKey)
      throws Exception {
    ActiveModels.Entry model = active.forRef("swing-high-v1-1h");
    ModelMetadata md = model.metadata();
    List<TimestampedValue<ModelInput>> inputs = new ArrayList<>();
    for (FeatureUpdate u : TestData.history(Timeframe.H1, u -> u.getTimestamp().getMillis() >= start, Integer.MAX_VALUE)) {
      double[] values = new double[md.features().size()];
      boolean complete = true;
      for (int j = 0; j < values.length; j++) {
        Double v = u.getFeatures().get(md.features().get(j));
        complete &= v != null;
        boolean shift = md.features().get(j).equals("rsi_14") && u.getTimestamp().getMillis() >= shiftFrom;
        values[j] = v == null ? 0 : v + (shift ? 25 : 0);
      }
      if (complete) {
        inputs.add(TimestampedValue.of(new ModelInput(u.getSymbol(), u.getExchange(), "1h", u.getTimestamp().getMillis(),
            model.modelId(), model.version().version(), values, List.of()), u.getTimestamp()));
      }
    }
    ArrayList<Long> times = new ArrayList<>();
    inputs.forEach(i -> times.add(i.getTimestamp().getMillis()));
    // the model's predictions at the same bars, counted beside the features: long on even hours
    List<TimestampedValue<PredictionEvent>> predictions = new ArrayList<>();
    for (long t : times) {
      boolean even = Math.floorMod(t / H, 2) == 0;
      PredictionEvent e = Samples.prediction("swing-high-v1-1h", t, even ? 1 : -1, even ? 0.2 : 0.6, 0.2, even ? 0.6 : 0.2);
      predictions.add(TimestampedValue.of(e, e.getFeatureTimestamp()));
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    PCollectionTuple results = tuple(p.apply("Inputs", Create.timestamped(inputs).withCoder(ModelInput.Coder.of())),
        p.apply("Predictions", Create.timestamped(predictions).withCoder(p.getSchemaRegistry().getSchemaCoder(PredictionEvent.class))))
        .apply(new Drift(config, view, inKey));
    results.get(Drift.PREDICTION_MIX)
        .apply("CheckMix", MapElements.into(TypeDescriptors.strings()).via((PredictionMix m) -> {
          List<Long> in = times.stream().filter(t -> t >= m.getWindowStart().getMillis() && t < m.getWindowEnd().getMillis()).toList();
          long longs = in.stream().filter(t -> Math.floorMod(t / H, 2) == 0).count();
          if (m.getPredictions() != in.size() || m.getLong() != longs || m.getShort() != in.size() - longs || m.getNeutral() != 0) {
            throw new AssertionError("window " + m.getWindowStart() + ": " + m + " for " + in.size() + " predictions, " + longs + " long");
          }
          return m.getWindowStart().getMillis() + "";
        }))
        .apply("CollectMix", new Collect("mix-" + name));
    results.get(Drift.FEATURE_DRIFT)
        .apply(MapElements.into(TypeDescriptors.strings()).via((FeatureDriftResult r) -> {
          long inWindow = times.stream().filter(t -> t >= r.getWindowStart().getMillis() && t < r.getWindowEnd().getMillis()).count();
          if (r.getSamples() != inWindow || !r.getModelVersion().equals("1.0.0")) {
            throw new AssertionError("window " + r.getWindowStart() + ": " + r.getSamples() + " samples of " + inWindow + " inputs");
          }
          return r.getWindowStart().getMillis() + " " + r.getFeature() + " " + r.getPsi();
        }))
        .apply(new Collect("drift-" + name));
    p.run().waitUntilFinish();
    // every window has a mix (it has no minimum of samples), and the ones with feature drift among them
    assertTrue(Collect.get("mix-" + name).size() > 20, "mixes: " + Collect.get("mix-" + name).size());
    assertTrue(Collect.get("mix-" + name).containsAll(Collect.get("drift-" + name).stream().map(l -> l.substring(0, l.indexOf(' '))).toList()),
        "a prediction mix in each window with feature drift");
    Map<String, Double> out = new HashMap<>();
    for (String line : Collect.get("drift-" + name)) {
      int last = line.lastIndexOf(' ');
      out.put(line.substring(0, last), Double.parseDouble(line.substring(last + 1)));
    }
    assertTrue(out.size() > 20 * md.features().size(), "windows x features: " + out.size());
    return out;
  }

  /** Ten bars: five short calls, then five long; windows of 10 bars sliding every 5; both windowings. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void predictionMixAndItsLastPeriodShift(boolean inKey, TestPipeline p) throws Exception {
    long t0 = 1_711_000_800_000L - Math.floorMod(1_711_000_800_000L, 5 * H);
    List<TimestampedValue<PredictionEvent>> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      PredictionEvent e = Samples.prediction("momentum-v1-1h", t0 + i * H, i < 5 ? -1 : 1, 0.6, 0.2, 0.2);
      events.add(TimestampedValue.of(e, e.getFeatureTimestamp()));
    }
    InferenceConfig config = ConfigBuilder.defaults().withDriftWindowBars(10).withDriftPeriodBars(5).build();
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    PCollectionTuple results = tuple(p.apply("NoInputs", Create.empty(ModelInput.Coder.of())),
        p.apply(Create.timestamped(events).withCoder(p.getSchemaRegistry().getSchemaCoder(PredictionEvent.class))))
        .apply(new Drift(config, view, inKey));
    PAssert.that(results.get(Drift.FEATURE_DRIFT)).empty();
    PAssert.that(results.get(Drift.PREDICTION_MIX)).satisfies(mixes -> {
          Map<Long, PredictionMix> byStart = new HashMap<>();
          mixes.forEach(m -> byStart.put((m.getWindowStart().getMillis() - t0) / H, m));
          assertEquals(java.util.Set.of(-5L, 0L, 5L), byStart.keySet());
          PredictionMix both = byStart.get(0L);
          assertEquals(10, both.getPredictions());
          assertEquals(5, both.getShort());
          assertEquals(0, both.getNeutral());
          assertEquals(5, both.getLong());
          assertEquals(5, both.getLastPeriodPredictions());
          assertTrue(both.getLastPeriodPsi() > 5, "all short, then all long: " + both.getLastPeriodPsi());
          assertEquals("1.0.0", both.getModelVersion());
          assertNull(byStart.get(-5L).getLastPeriodPsi(), "nothing before the last period");
          assertEquals(0, byStart.get(5L).getLastPeriodPredictions());
          assertNull(byStart.get(5L).getLastPeriodPsi());
          return null;
        });
    p.run().waitUntilFinish();
  }

  @Test
  void theKindOfAKeyIsReadWithAndWithoutItsWindow() {
    assertEquals(Drift.FEATURES, Drift.kind(FeatureDrift.key("m:3", "1h")));
    assertEquals(Drift.FEATURES, Drift.kind(FeatureDrift.key("m:3", "1h") + KeyedWindows.SEPARATOR + "0" + KeyedWindows.SEPARATOR + "10"));
    assertEquals(Drift.PREDICTIONS, Drift.kind(PredictionDrift.key("m:3", "1h", "1.0.0")));
    assertEquals(Drift.PREDICTIONS, Drift.kind(PredictionDrift.key("m:3", "1h", "1.0.0") + KeyedWindows.SEPARATOR + "0" + KeyedWindows.SEPARATOR + "10"));
  }

  private static PCollectionTuple tuple(PCollection<ModelInput> inputs, PCollection<PredictionEvent> predictions) {
    return PCollectionTuple.of(InferenceResult.MODEL_INPUTS, inputs).and(InferenceResult.PREDICTIONS, predictions);
  }
}
