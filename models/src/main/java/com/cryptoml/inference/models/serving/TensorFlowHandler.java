package com.cryptoml.inference.models.serving;

/** TensorFlow SavedModels through DJL's TensorFlow engine ({@link SavedModelLoader}). */
public final class TensorFlowHandler implements ModelHandler {
  public static final TensorFlowHandler INSTANCE = new TensorFlowHandler();

  private TensorFlowHandler() {}

  @Override
  public ServingModel load(ModelLoader.PreparedModel p, LoadOptions options, long startNanos) {
    return SavedModelLoader.load(p.version(), p.metadata(), p.artifactDir(), p.savedModelDir(), p.tags(), p.signatureKey(),
        options, startNanos);
  }

  @Override
  public String engine() {
    return "TensorFlow 2.10.1 (DJL)";
  }
}
