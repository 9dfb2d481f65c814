package com.cryptoml.inference.transforms.bench;

import com.cryptoml.inference.transforms.ConfigBuilder;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.models.serving.SavedModelLoader;
import com.cryptoml.inference.transforms.TestData;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.predict.BatchPredictor;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The inference step alone (what the predict DoFns run per batch: normalise, lease the model from
 * the cache, call under the concurrency and timeout limits, decode, build events) against the raw
 * DJL predictor on the same SavedModel, one thread, batch sizes 1, 8, 32, 128.
 *
 * <pre>
 * mvn -q -pl transforms exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=com.cryptoml.inference.transforms.bench.InferenceDoFnBenchmark
 * </pre>
 */
public final class InferenceDoFnBenchmark {
  private static final int ROWS = 200_000;

  public static void main(String[] args) throws Exception {
    InferenceConfig base = TestData.config().timeframeSpecificModels(Map.of(Timeframe.H1, List.of("momentum-v1-1h")))
        .predictionTimeoutMs(10_000).maxConcurrentPredictions(1000).build();
    ActiveModels active = TestData.resolve(base);
    ActiveModels.Entry entry = active.forRef("momentum-v1-1h");
    int width = entry.metadata().inputWidth();
    SplittableRandom r = new SplittableRandom(7);
    List<ModelInput> inputs = new ArrayList<>(ROWS);
    for (int i = 0; i < ROWS; i++) {
      double[] v = new double[width];
      for (int j = 0; j < width; j++) {
        v[j] = entry.metadata().means()[j] + entry.metadata().stds()[j] * r.nextGaussian();
      }
      inputs.add(new ModelInput("BTCUSDT", "BINANCE", "1h", 1_700_000_000_000L + i * 3_600_000L, "momentum-v1-1h", "1", v, List.of()));
    }
    ModelLoader loader = new ModelLoader(Registries.open(base.options().getRegistry()), base.loadOptions());
    ModelLoader.PreparedModel prepared = loader.prepare(entry.version());

    System.out.printf("%-6s %16s %16s %8s%n", "batch", "raw DJL (pred/s)", "inference step", "ratio");
    for (int batch : new int[] {1, 8, 32, 128}) {
      double raw = raw(prepared, inputs, batch, width);
      InferenceConfig config = ConfigBuilder.from(base).batchSize(batch).build();
      double step = step(config, active, entry.servingKey(), inputs, batch);
      System.out.printf("%-6d %16.0f %16.0f %8.2f%n", batch, raw, step, step / raw);
    }
  }

  /** A tight loop a user would write: one predictor, one NDArray per batch. */
  static double raw(ModelLoader.PreparedModel p, List<ModelInput> inputs, int batch, int width) throws Exception {
    try (Model model = SavedModelLoader.open(p.savedModelDir(), p.tags(), p.signatureKey(), Device.cpu());
        Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
      float[] buffer = new float[batch * width];
      double[] mean = p.metadata().means();
      double[] std = p.metadata().stds();
      long start = 0;
      int done = 0;
      for (int pass = 0; pass < 2; pass++) { // first pass warms up
        start = System.nanoTime();
        done = 0;
        for (int from = 0; from + batch <= inputs.size(); from += batch) {
          for (int rr = 0; rr < batch; rr++) {
            double[] v = inputs.get(from + rr).values();
            for (int j = 0; j < width; j++) {
              buffer[rr * width + j] = (float) ((v[j] - mean[j]) / std[j]);
            }
          }
          try (NDManager m = model.getNDManager().newSubManager()) {
            NDList out = predictor.predict(new NDList(m.create(buffer, new Shape(batch, width))));
            out.get(0).toFloatArray();
            out.close();
          }
          done += batch;
          if (batch == 1 && done >= 50_000) {
            break;
          }
        }
      }
      return done / ((System.nanoTime() - start) / 1e9);
    }
  }

  static double step(InferenceConfig config, ActiveModels active, String key, List<ModelInput> inputs, int batch) {
    BatchPredictor predictor = new BatchPredictor(config, null);
    long[] count = new long[1];
    BatchPredictor.Sink sink = new BatchPredictor.Sink() {
      @Override
      public void prediction(PredictionEvent event, ModelInput input) {
        count[0]++;
      }

      @Override
      public void deadLetter(DeadLetter deadLetter, ModelInput input) {
        throw new IllegalStateException(deadLetter.getDetail());
      }
    };
    long start = 0;
    int done = 0;
    for (int pass = 0; pass < 2; pass++) {
      start = System.nanoTime();
      done = 0;
      for (int from = 0; from + batch <= inputs.size(); from += batch) {
        predictor.predict(active, key, inputs.subList(from, from + batch), sink);
        done += batch;
        if (batch == 1 && done >= 50_000) {
          break;
        }
      }
    }
    return done / ((System.nanoTime() - start) / 1e9);
  }
}
