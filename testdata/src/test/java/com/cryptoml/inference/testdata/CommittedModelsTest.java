package com.cryptoml.inference.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.export.DenseNetwork;
import com.cryptoml.inference.models.metadata.MlModelFile;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.OutputSpec;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import com.cryptoml.inference.models.serving.LoadOptions;
import com.cryptoml.inference.models.serving.ModelCache;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.models.serving.ServingModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every committed model version loads through the FileStore registry and the shared cache, predicts
 * on committed history rows, and the TensorFlow runtime agrees with the Java forward pass of the
 * same weights to 1e-5.
 */
class CommittedModelsTest {
  static final Path REGISTRY = Path.of("data", "registry");

  @Test
  void everyModelVersionServesAndMatchesTheJavaForwardPass(@TempDir Path cacheDir) throws Exception {
    ModelRegistry registry = new MlflowFileStoreRegistry(REGISTRY.toString());
    ModelLoader loader = new ModelLoader(registry, LoadOptions.defaults().withCacheDir(cacheDir.toString()).withWarmup(5, 32));
    ModelCache cache = ModelCache.shared(32);
    List<Path> history = HistoryTest.files();
    Set<String> types = new HashSet<>();
    Set<String> timeframes = new HashSet<>();
    int versions = 0;
    boolean lookbackAboveOne = false;
    for (String name : registry.listModels()) {
      for (ModelVersion version : registry.listVersions(name)) {
        versions++;
        try (ModelCache.Lease lease = cache.acquire(version, loader::load)) {
          ServingModel model = lease.model();
          ModelMetadata md = model.metadata();
          types.add(md.modelType().code());
          timeframes.add(md.timeframe().code());
          lookbackAboveOne |= md.lookback() > 1;
          float[] input = inputsFromHistory(md, history);
          int rows = input.length / md.inputWidth();
          assertTrue(rows >= 16, name + ": rows from history " + rows);
          float[] tf = model.predict(input, rows);

          Path artifact = model.artifactDir();
          DenseNetwork net = GraphWeights.read(artifact.resolve(MlModelFile.read(artifact, name, version.version()).savedModelDir()));
          for (int r = 0; r < rows; r++) {
            float[] x = new float[md.inputWidth()];
            System.arraycopy(input, r * md.inputWidth(), x, 0, x.length);
            float[] java = net.forward(x);
            for (int j = 0; j < java.length; j++) {
              assertEquals(java[j], tf[r * java.length + j], 1e-5, name + " v" + version.version() + " row " + r);
            }
            if (md.output().kind() == OutputSpec.Kind.CLASS_PROBABILITIES) {
              md.output().decode(tf, r); // every row decodes to a prediction
            }
          }
        }
      }
    }
    assertEquals(ModelSpec.catalog().size(), versions);
    assertEquals(Set.of("directional", "volatility", "swing_points", "pattern_completion"), types);
    assertEquals(Set.of("1m", "5m", "15m", "1h", "4h", "1d"), timeframes);
    assertTrue(lookbackAboveOne);
  }

  /** Consecutive complete bars of one key from the committed history, z-scored, lookback-stacked. */
  private static float[] inputsFromHistory(ModelMetadata md, List<Path> history) throws Exception {
    List<HistoryTest.Row> rows = new ArrayList<>();
    for (HistoryTest.Row row : HistoryTest.read(history)) {
      if (row.timeframe().equals(md.timeframe().code()) && row.symbol().equals("ETHUSDT") && row.exchange().equals("BINANCE")) {
        rows.add(row);
      }
    }
    double[] mean = md.means();
    double[] std = md.stds();
    int width = md.features().size();
    List<float[]> out = new ArrayList<>();
    for (int t = md.lookback() - 1; t < rows.size() && out.size() < 64; t++) {
      float[] x = new float[md.inputWidth()];
      boolean complete = true;
      for (int b = 0; b < md.lookback(); b++) {
        HistoryTest.Row bar = rows.get(t - md.lookback() + 1 + b);
        for (int j = 0; j < width; j++) {
          Double v = bar.features().get(md.features().get(j));
          complete &= v != null;
          x[b * width + j] = v == null ? 0 : (float) ((v - mean[j]) / std[j]);
        }
      }
      if (complete) {
        out.add(x);
      }
    }
    float[] flat = new float[out.size() * md.inputWidth()];
    for (int i = 0; i < out.size(); i++) {
      System.arraycopy(out.get(i), 0, flat, i * md.inputWidth(), md.inputWidth());
    }
    return flat;
  }
}
