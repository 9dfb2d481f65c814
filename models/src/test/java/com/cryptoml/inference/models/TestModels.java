package com.cryptoml.inference.models;

import com.cryptoml.inference.models.export.DenseNetwork;
import com.cryptoml.inference.models.export.DenseNetwork.Activation;
import com.cryptoml.inference.models.export.FileStoreWriter;
import com.cryptoml.inference.models.export.MlModelWriter;
import com.cryptoml.inference.models.metadata.FeatureStats;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.OutputSpec;
import com.cryptoml.inference.models.metadata.Timeframe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds small networks, metadata and MLflow FileStores for tests. */
public final class TestModels {
  public static final Path TESTDATA_REGISTRY = Path.of("..", "testdata", "data", "registry");
  /** Files written by real TensorFlow and MLflow (copied from shared/fixtures so a lone clone tests too). */
  public static final Path FIXTURES = Path.of("..", "testdata", "fixtures");

  private TestModels() {}

  /** Copies a directory tree (a registry, say) into {@code to}. */
  public static void copyTree(Path from, Path to) throws IOException {
    try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(p, target);
        }
      }
    }
  }

  public static DenseNetwork randomNetwork(int inputs, int hidden, int outputs, Activation last, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    DenseNetwork.Builder b = new DenseNetwork.Builder();
    int in = inputs;
    if (hidden > 0) {
      b.add(matrix(in, hidden, r), vector(hidden, r), Activation.RELU);
      in = hidden;
    }
    b.add(matrix(in, outputs, r), vector(outputs, r), last);
    return b.build();
  }

  static float[][] matrix(int rows, int cols, SplittableRandom r) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return m;
  }

  static float[] vector(int n, SplittableRandom r) {
    float[] v = new float[n];
    for (int j = 0; j < n; j++) {
      v[j] = (float) (r.nextDouble() - 0.5);
    }
    return v;
  }

  public static List<String> features(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("f" + i);
    }
    return names;
  }

  /** Metadata for a 3-class model over n features. */
  public static ModelMetadata.Builder metadata(String modelId, int features, int lookback) {
    ModelMetadata.Builder b = ModelMetadata.builder()
        .modelId(modelId)
        .modelType(ModelType.DIRECTIONAL)
        .timeframe(Timeframe.H1)
        .features(features(features))
        .lookback(lookback)
        .horizonBars(4)
        .output(OutputSpec.classProbabilities("probabilities", List.of(-1, 0, 1)));
    for (String f : features(features)) {
      b.normalization(f, new FeatureStats(0, 1));
    }
    return b;
  }

  /** A FileStore under root with registered versions written by the callback's arguments. */
  public static final class Store {
    public final FileStoreWriter writer;
    private int run;

    public Store(Path root) throws IOException {
      this.writer = new FileStoreWriter(root, "1", null);
    }

    /** Writes a model directory for (network, metadata) and registers it; returns the artifact dir. */
    public Path register(String name, int version, String label, DenseNetwork network, ModelMetadata metadata)
        throws IOException {
      String runId = String.format("%032x", ++run);
      Path dir = writer.newModelArtifactDir(runId, "model");
      MlModelWriter.write(dir, network, metadata, runId);
      writer.registerVersion(name, version, runId, dir, label, Map.of());
      return dir;
    }

    /** A 3-class softmax model over n features, registered and aliased champion. */
    public Path registerSimple(String name, int version, String label, int features, long seed) throws IOException {
      Path dir = register(name, version, label, randomNetwork(features, 0, 3, Activation.SOFTMAX, seed),
          metadata(name, features, 1).build());
      writer.setAlias(name, "champion", version);
      return dir;
    }
  }
}
