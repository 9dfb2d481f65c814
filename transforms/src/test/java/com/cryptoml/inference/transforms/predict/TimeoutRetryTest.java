package com.cryptoml.inference.transforms.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.transforms.FaultModels;
import com.cryptoml.inference.transforms.TestData;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.cryptoml.inference.transforms.WithDeadLetters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch_timeout_retries}: a backfill runs a timed-out model call again before dead-lettering
 * its rows, so a pause (a full collection, a busy neighbour) does not change what it writes; a
 * stream dead-letters at once (its deadline has passed; {@link PredictTest} covers that).
 */
@ExtendWith(TestPipelineExtension.class)
class TimeoutRetryTest {
  private static final int TIMEOUT_MS = 500;

  @Test
  void aBackfillCallThatFindsCapacityOnItsRetryIsPredicted(@TempDir Path registry) throws Exception {
    Outcome o = withCapacityBackAfter(PredictTest.config(FaultModels.write(registry, 8), "steady-v1-1h").mode("batch")
        .batchTimeoutRetries(3).predictionTimeoutMs(TIMEOUT_MS).build(), TIMEOUT_MS * 3 / 2);
    assertEquals(4, o.predictions.size(), "every row predicted once the capacity is back: " + o.deadLetters);
    assertEquals(List.of(), o.deadLetters);
    assertTrue(o.millis >= TIMEOUT_MS, "the first call waited out its timeout: " + o.millis + " ms");
  }

  @Test
  void aStreamCallThatFindsNoCapacityIsDeadLetteredAtOnce(@TempDir Path registry) throws Exception {
    Outcome o = withCapacityBackAfter(PredictTest.config(FaultModels.write(registry, 8), "steady-v1-1h").mode("live")
        .batchTimeoutRetries(3).predictionTimeoutMs(TIMEOUT_MS).build(), TIMEOUT_MS * 3 / 2);
    assertEquals(List.of(), o.predictions);
    assertEquals(4, o.deadLetters.size());
    for (DeadLetter d : o.deadLetters) {
      assertEquals("timeout", d.getReason());
      assertTrue(d.getDetail().contains("no capacity within " + TIMEOUT_MS + " ms"), d.getDetail());
    }
  }

  @Test
  void aBackfillCallThatKeepsTimingOutIsRunAgainThenDeadLettered(TestPipeline p, @TempDir Path registry) throws Exception {
    InferenceConfig config = PredictTest.config(FaultModels.write(registry, 4000), "steady-v1-1h", "sluggish-v1-1h")
        .mode("batch").batchTimeoutRetries(2).predictionTimeoutMs(50).warmupIterations(1).build();
    ActiveModels active = TestData.resolve(config);
    List<TimestampedValue<ModelInput>> all = new ArrayList<>(PredictTest.inputs("steady-v1-1h", 4, -1));
    all.addAll(PredictTest.inputs("sluggish-v1-1h", 4, -1));
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    WithDeadLetters<PredictionEvent> out = p.apply(Create.timestamped(all).withCoder(ModelInput.Coder.of()))
        .apply(new Predict(config, view, PredictBatches.Batching.DETERMINISTIC, "req-retry"));
    PAssert.that(out.output().apply("Labels", MapElements.into(TypeDescriptors.strings()).via(PredictTest::label)))
        .containsInAnyOrder("steady-v1-1h@0", "steady-v1-1h@1", "steady-v1-1h@2", "steady-v1-1h@3");
    PAssert.that(out.deadLetters().apply("DeadLabels", MapElements.into(TypeDescriptors.strings()).via(PredictTest::label)))
        .containsInAnyOrder("timeout:sluggish-v1-1h@0", "timeout:sluggish-v1-1h@1", "timeout:sluggish-v1-1h@2",
            "timeout:sluggish-v1-1h@3");
    PAssert.that(out.deadLetters()).satisfies(dls -> {
      for (DeadLetter d : dls) {
        assertTrue(d.getDetail().endsWith("(run 3 times)"), d.getDetail());
      }
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(2, PredictTest.counter(result, InferenceMetrics.TIMEOUT_RETRIES), "one batch of four, run again twice");
  }

  private record Outcome(List<PredictionEvent> predictions, List<DeadLetter> deadLetters, long millis) {}

  /**
   * Predicts four rows while every permit of the JVM's pool is held, handing the permits back after
   * {@code releaseAfterMs}: the first call finds no capacity within its timeout.
   */
  private static Outcome withCapacityBackAfter(InferenceConfig config, long releaseAfterMs) throws Exception {
    ActiveModels active = TestData.resolve(config);
    BatchPredictor predictor = new BatchPredictor(config, "req-capacity");
    String servingKey = active.forRef("steady-v1-1h").servingKey();
    List<ModelInput> inputs = PredictTest.inputs("steady-v1-1h", 4, -1).stream().map(TimestampedValue::getValue).toList();
    predict(predictor, active, servingKey, inputs); // loads the model: the timed calls below find it cached
    List<PredictionEvent> predictions = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    // Calls another test left running (a slow model's timed-out calls keep their permits until they
    // end) would hand permits back while this one waits.
    for (long until = System.nanoTime() + 60_000_000_000L; PredictionRunner.inFlight() > 0 && System.nanoTime() < until; ) {
      Thread.sleep(20);
    }
    Semaphore pool = PredictionRunner.permits(config.options().getMaxConcurrentPredictions());
    int held = pool.drainPermits();
    Thread release = new Thread(() -> {
      try {
        Thread.sleep(releaseAfterMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pool.release(held);
    });
    long start = System.nanoTime();
    release.start();
    try {
      predictor.predict(active, servingKey, inputs, new BatchPredictor.Sink() {
        @Override
        public void prediction(PredictionEvent event, ModelInput input) {
          predictions.add(event);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter, ModelInput input) {
          deadLetters.add(deadLetter);
        }
      });
    } finally {
      release.join();
    }
    return new Outcome(predictions, deadLetters, (System.nanoTime() - start) / 1_000_000);
  }

  private static void predict(BatchPredictor predictor, ActiveModels active, String servingKey, List<ModelInput> inputs) {
    List<String> failures = new ArrayList<>();
    predictor.predict(active, servingKey, inputs, new BatchPredictor.Sink() {
      @Override
      public void prediction(PredictionEvent event, ModelInput input) {}

      @Override
      public void deadLetter(DeadLetter deadLetter, ModelInput input) {
        failures.add(deadLetter.getDetail());
      }
    });
    assertEquals(List.of(), failures, "the warm-up call");
  }
}
