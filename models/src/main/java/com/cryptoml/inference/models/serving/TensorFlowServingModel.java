package com.cryptoml.inference.models.serving;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.registry.ModelVersion;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A SavedModel loaded with DJL's TensorFlow engine, verified and warmed up, shared by every thread of
 * the JVM.
 *
 * <p>DJL's rule is one model, many predictors: a {@link Predictor} is not thread-safe, so each call
 * borrows one from a pool (creating it on first need) and returns it afterwards. Callers that run
 * concurrently therefore never share a predictor, and the pool holds at most as many predictors as
 * there were concurrent callers.
 */
final class TensorFlowServingModel implements ServingModel {
  private final ModelVersion version;
  private final ModelMetadata metadata;
  private final Model model;
  private final Device device;
  private final int outputIndex;
  private final long byteSize;
  private final java.nio.file.Path artifactDir;
  private volatile Duration loadTime = Duration.ZERO;
  private final ConcurrentLinkedDeque<Predictor<NDList, NDList>> predictors = new ConcurrentLinkedDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  TensorFlowServingModel(ModelVersion version, ModelMetadata metadata, Model model, Device device, int outputIndex,
      java.nio.file.Path artifactDir) {
    this.version = version;
    this.metadata = metadata;
    this.model = model;
    this.device = device;
    this.outputIndex = outputIndex;
    this.artifactDir = artifactDir;
    this.byteSize = com.cryptoml.inference.models.artifacts.ArtifactDigest.size(artifactDir);
  }

  /** The verified local copy of the MLflow model directory this model was loaded from. */
  @Override
  public java.nio.file.Path artifactDir() {
    return artifactDir;
  }

  /** Records how long preparing this model took, once it is ready. */
  void markLoaded(Duration took) {
    this.loadTime = took;
  }

  @Override
  public ModelVersion version() {
    return version;
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  public Device device() {
    return device;
  }

  /** Size of the artifact on disk, reported as {@code model_byte_size}. */
  @Override
  public long byteSize() {
    return byteSize;
  }

  /** Download + verify + load + warm-up time. */
  @Override
  public Duration loadTime() {
    return loadTime;
  }

  @Override
  public int inputWidth() {
    return metadata.inputWidth();
  }

  @Override
  public int outputWidth() {
    return metadata.output().width();
  }

  /**
   * Runs one batch. {@code input} holds {@code rows} rows of {@link #inputWidth()} floats, row-major;
   * the result holds {@code rows} rows of {@link #outputWidth()} floats.
   */
  @Override
  public float[] predict(float[] input, int rows) {
    if (closed.get()) {
      throw new IllegalStateException(version + " is closed");
    }
    if (rows < 1 || input.length < rows * inputWidth()) {
      throw new IllegalArgumentException("need " + rows + " rows of " + inputWidth() + " floats, got " + input.length);
    }
    Predictor<NDList, NDList> predictor = predictors.pollFirst();
    if (predictor == null) {
      predictor = model.newPredictor(new NoopTranslator());
    }
    try (NDManager manager = model.getNDManager().newSubManager(device)) {
      float[] data = input.length == rows * inputWidth() ? input : java.util.Arrays.copyOf(input, rows * inputWidth());
      NDArray x = manager.create(data, new Shape(rows, inputWidth()));
      x.setName(metadata.inputTensor());
      NDList out = predictor.predict(new NDList(x));
      try {
        float[] result = out.get(outputIndex).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        if (result.length != rows * outputWidth()) {
          throw new IllegalStateException(version + " returned " + result.length + " values for " + rows + " rows of width " + outputWidth());
        }
        return result;
      } finally {
        out.close();
      }
    } catch (TranslateException e) {
      throw new IllegalStateException(version + " failed to predict: " + e.getMessage(), e);
    } finally {
      predictors.addFirst(predictor);
    }
  }

  /** Closes the predictors and the model; only called once no caller uses it (see ModelCache). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Predictor<NDList, NDList> p;
      while ((p = predictors.pollFirst()) != null) {
        p.close();
      }
      model.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return version + " on " + device;
  }
}
