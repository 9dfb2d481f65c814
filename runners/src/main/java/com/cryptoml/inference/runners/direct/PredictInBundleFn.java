package com.cryptoml.inference.runners.direct;

import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.predict.BatchPredictor;
import com.cryptoml.inference.transforms.predict.Predict;
import com.cryptoml.inference.transforms.predict.PredictBatches;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.cryptoml.inference.transforms.values.Schemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * A stream's batching on the Direct runner: batches form within a bundle, per model version, up to
 * {@code batch_size}, and whatever is left is predicted when the bundle finishes, so nothing ever
 * waits on a processing-time timer. The stock {@link PredictBatches} forms batches across bundles
 * with {@code GroupIntoBatches}, whose timers the Direct runner serves slowly. See
 * docs/decisions/direct-runner-adaptations.md.
 */
final class PredictInBundleFn extends DoFn<ModelInput, PredictionEvent> {
  private final BatchPredictor predictor;
  private final ModelsView models;
  private final int batchSize;
  private transient Map<String, List<ModelInput>> buffers;
  private transient Map<ModelInput, BoundedWindow> windows;
  private transient List<Output> ready;
  private transient ActiveModels active;

  PredictInBundleFn(BatchPredictor predictor, ModelsView models, int batchSize) {
    this.predictor = predictor;
    this.models = models;
    this.batchSize = batchSize;
  }

  /** The stock step's replacement: same inputs, same tagged outputs. */
  static PTransform<PCollection<ModelInput>, WithDeadLetters<PredictionEvent>> replacing(PredictBatches stock) {
    return new PTransform<>() {
      @Override
      public WithDeadLetters<PredictionEvent> expand(PCollection<ModelInput> inputs) {
        PCollectionTuple out = inputs.apply("PredictInBundle",
            ParDo.of(new PredictInBundleFn(stock.predictor(), stock.models(), stock.config().options().getBatchSize()))
                .withSideInputs(stock.models().view()).withOutputTags(Predict.PREDICTIONS, TupleTagList.of(Predict.DEAD_LETTERS)));
        return WithDeadLetters.of(Predict.PREDICTIONS,
            out.get(Predict.PREDICTIONS).setCoder(Schemas.coder(inputs.getPipeline(), PredictionEvent.class)),
            Predict.DEAD_LETTERS, out.get(Predict.DEAD_LETTERS));
      }
    };
  }

  /** A prediction or a dead letter, emitted when the bundle finishes at its bar time and in its window. */
  private record Output(Object value, boolean prediction, Instant at, BoundedWindow window) {}

  @Setup
  public void setup() {
    predictor.open();
  }

  @StartBundle
  public void startBundle() {
    buffers = new HashMap<>();
    windows = new IdentityHashMap<>();
    ready = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element ModelInput in, BoundedWindow window, ProcessContext c) {
    active = models.read(c); // the latest view; finishBundle cannot read side inputs
    List<ModelInput> buffer = buffers.computeIfAbsent(in.servingKey(), k -> new ArrayList<>());
    buffer.add(in);
    windows.put(in, window);
    if (buffer.size() >= batchSize) {
      buffers.remove(in.servingKey());
      predict(in.servingKey(), buffer);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    buffers.forEach(this::predict);
    for (Output o : ready) {
      if (o.prediction()) {
        c.output(Predict.PREDICTIONS, (PredictionEvent) o.value(), o.at(), o.window());
      } else {
        c.output(Predict.DEAD_LETTERS, (DeadLetter) o.value(), o.at(), o.window());
      }
    }
    buffers = null;
    windows = null;
    ready = null;
  }

  private void predict(String servingKey, List<ModelInput> batch) {
    predictor.predict(active, servingKey, batch, new BatchPredictor.Sink() {
      @Override
      public void prediction(PredictionEvent event, ModelInput input) {
        ready.add(new Output(event, true, new Instant(input.barMillis()), windows.remove(input)));
      }

      @Override
      public void deadLetter(DeadLetter deadLetter, ModelInput input) {
        ready.add(new Output(deadLetter, false, new Instant(input.barMillis()), windows.remove(input)));
      }
    });
  }
}
