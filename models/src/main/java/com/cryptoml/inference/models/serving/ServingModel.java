package com.cryptoml.inference.models.serving;

import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.registry.ModelVersion;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A model version loaded by a {@link ModelHandler}, verified and warmed up, ready for batches:
 * shared by every thread of the JVM, so implementations are thread-safe.
 */
public interface ServingModel extends AutoCloseable {
  ModelVersion version();

  ModelMetadata metadata();

  /** The verified local copy of the MLflow model directory it was loaded from. */
  Path artifactDir();

  /** Size of the artifact on disk, reported as {@code model_byte_size}. */
  long byteSize();

  /** Download, verification, load and warm-up time. */
  Duration loadTime();

  int inputWidth();

  int outputWidth();

  /** What goes in and comes out of a batch. */
  default ModelSignature signature() {
    return new ModelSignature(metadata().inputTensor(), inputWidth(), metadata().output().tensor(), outputWidth(),
        metadata().output().kind());
  }

  /**
   * Runs one batch: {@code input} holds {@code rows} rows of {@link #inputWidth()} floats, row-major;
   * the result holds {@code rows} rows of {@link #outputWidth()} floats.
   */
  float[] predict(float[] input, int rows);

  /** Releases the engine's resources; called once no caller uses the model ({@link ModelCache}). */
  @Override
  void close();

  boolean isClosed();
}
