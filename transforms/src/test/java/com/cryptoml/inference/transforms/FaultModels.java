package com.cryptoml.inference.transforms;

import com.cryptoml.inference.models.export.DenseNetwork;
import com.cryptoml.inference.models.export.FileStoreWriter;
import com.cryptoml.inference.models.export.MlModelWriter;
import com.cryptoml.inference.models.export.SavedModelWriter;
import com.cryptoml.inference.models.metadata.FeatureStats;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.OutputSpec;
import com.cryptoml.inference.models.metadata.Timeframe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A registry of small 1h models for fault tests, real SavedModels run by TensorFlow:
 * {@code steady-v1-1h} (fine), {@code fragile-v1-1h} (its graph checks its input; a value of f0
 * above about 3.4 overflows to infinity after normalisation, and the call fails in the runtime),
 * {@code sluggish-v1-1h} (every call multiplies two large matrices first).
 */
public final class FaultModels {
  public static final List<String> FEATURES = List.of("f0", "f1");

  private FaultModels() {}

  public static Path write(Path root, int sluggishSize) throws IOException {
    FileStoreWriter store = new FileStoreWriter(root, "1", null);
    register(store, "steady-v1-1h", 1, new SavedModelWriter(), 1.0);
    register(store, "fragile-v1-1h", 2, new SavedModelWriter().checkNumerics(true), 1e-38);
    register(store, "sluggish-v1-1h", 3, new SavedModelWriter().busyWork(sluggishSize), 1.0);
    return root;
  }

  private static void register(FileStoreWriter store, String name, int run, SavedModelWriter writer, double f0Std)
      throws IOException {
    DenseNetwork net = new DenseNetwork.Builder()
        .add(new float[][] {{1, 0, -1}, {0.5f, 0.25f, -0.5f}}, new float[] {0, 0.1f, 0}, DenseNetwork.Activation.SOFTMAX)
        .build();
    ModelMetadata md = ModelMetadata.builder().modelId(name).modelType(ModelType.DIRECTIONAL).timeframe(Timeframe.H1)
        .features(FEATURES).lookback(1).horizonBars(1)
        .normalization("f0", new FeatureStats(0, f0Std)).normalization("f1", new FeatureStats(0, 1))
        .output(OutputSpec.classProbabilities("probabilities", List.of(-1, 0, 1))).build();
    String runId = String.format("%032x", run);
    Path dir = store.newModelArtifactDir(runId, "model");
    MlModelWriter.write(dir, writer, net, md, runId);
    store.registerVersion(name, 1, runId, dir, "1.0.0", Map.of());
    store.setAlias(name, "champion", 1);
  }
}
