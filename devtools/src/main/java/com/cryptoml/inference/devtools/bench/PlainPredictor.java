package com.cryptoml.inference.devtools.bench;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.serving.LoadOptions;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.models.serving.SavedModelLoader;
import ai.djl.Device;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a user would write without the platform: one SavedModel opened with DJL, one predictor,
 * z-scoring with the metadata's statistics, one NDArray per batch. The raw loop and the hand-written
 * programs of the benchmark all call the model through this.
 */
final class PlainPredictor implements AutoCloseable {
  final ModelMetadata metadata;
  final int width;
  private static final Map<String, PlainPredictor> SHARED = new ConcurrentHashMap<>();
  private final Model model;
  private final Predictor<NDList, NDList> predictor;
  private final double[] mean;
  private final double[] std;
  private final boolean ownsModel;

  private PlainPredictor(ModelMetadata metadata, Model model, boolean ownsModel) {
    this.metadata = metadata;
    this.model = model;
    this.ownsModel = ownsModel;
    this.predictor = model.newPredictor(new NoopTranslator());
    this.width = metadata.inputWidth();
    this.mean = metadata.means();
    this.std = metadata.stds();
  }

  static PlainPredictor open(String registryUri, String modelRef, String cacheDir) throws Exception {
    ModelRegistry registry = Registries.open(registryUri);
    ModelLoader loader = new ModelLoader(registry, LoadOptions.defaults().withCacheDir(cacheDir));
    ModelLoader.PreparedModel p = loader.prepare(registry.resolve(ModelRef.parse(modelRef)));
    return new PlainPredictor(p.metadata(), SavedModelLoader.open(p.savedModelDir(), p.tags(), p.signatureKey(), Device.cpu()), true);
  }

  /**
   * A predictor of its own over a model loaded once per JVM, as a pipeline's workers share one (the
   * platform's model cache, RunInference's shared handle): the plain pipelines' DoFn instances use
   * this, and the benchmark loads the model before it times them, as it does for the hand-written
   * programs. The model stays loaded until the JVM exits.
   */
  static PlainPredictor shared(String registryUri, String modelRef, String cacheDir) {
    PlainPredictor loaded = SHARED.computeIfAbsent(registryUri + "|" + modelRef + "|" + cacheDir, k -> {
      try {
        return open(registryUri, modelRef, cacheDir);
      } catch (Exception e) {
        throw new IllegalStateException("cannot load " + modelRef, e);
      }
    });
    return new PlainPredictor(loaded.metadata, loaded.model, false);
  }

  /** Writes row {@code r} of a batch buffer from a feature map (lookback 1), z-scored. */
  void normalize(Map<String, Double> features, float[] buffer, int r) {
    for (int j = 0; j < width; j++) {
      Double v = features.get(metadata.features().get(j));
      buffer[r * width + j] = v == null ? 0f : (float) ((v - mean[j]) / std[j]);
    }
  }

  /** Writes row {@code r} from raw values in the metadata's feature order, z-scored. */
  void normalize(double[] values, float[] buffer, int r) {
    for (int j = 0; j < width; j++) {
      buffer[r * width + j] = (float) ((values[j] - mean[j]) / std[j]);
    }
  }

  /** Class probabilities of the first {@code rows} rows of {@code buffer}, row-major. */
  float[] predict(float[] buffer, int rows) throws Exception {
    float[] input = rows * width == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, rows * width);
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDList out = predictor.predict(new NDList(m.create(input, new Shape(rows, width))));
      float[] probabilities = out.get(0).toFloatArray();
      out.close();
      return probabilities;
    }
  }

  /** The most probable class of row {@code row} in row-major probabilities of {@code classes} columns. */
  static int argmax(float[] probabilities, int row, int classes) {
    int best = 0;
    for (int k = 1; k < classes; k++) {
      best = probabilities[row * classes + k] > probabilities[row * classes + best] ? k : best;
    }
    return best;
  }

  @Override
  public void close() {
    predictor.close();
    if (ownsModel) {
      model.close();
    }
  }
}
