package com.cryptoml.inference.models.serving;

/**
 * The seam between the platform and an inference engine: turns a downloaded, verified version
 * ({@link ModelLoader.PreparedModel}) into a {@link ServingModel} that predicts batches. The
 * platform serves TensorFlow SavedModels through {@link TensorFlowHandler}; another engine is
 * another implementation, and nothing upstream of {@link ServingModel} changes.
 */
public interface ModelHandler {
  /**
   * Loads the version into the engine, checks its signature against the metadata and warms it up;
   * a {@link com.cryptoml.inference.models.ModelRefusedException} when any of it fails.
   */
  ServingModel load(ModelLoader.PreparedModel prepared, LoadOptions options, long startNanos);

  /** The engine, for logs and events ("TensorFlow 2.10.1 (DJL)"). */
  String engine();
}
