package com.cryptoml.inference.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.TestModels;
import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import com.cryptoml.inference.models.serving.LoadOptions;
import com.cryptoml.inference.models.serving.ModelLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FileStore written by MLflow 2.17.2 on another (Windows) machine: both models resolve, their
 * artifacts are found inside this copy of the store, and serving them is refused because they are
 * scikit-learn models.
 */
class FixtureFileStoreTest {
  private final MlflowFileStoreRegistry registry =
      new MlflowFileStoreRegistry(TestModels.FIXTURES.resolve("mlflow-filestore-2.17").toString());

  @Test
  void resolvesBothRegisteredModels() {
    assertEquals(List.of("SentimentAnalysisModel", "tracking-quickstart"), registry.listModels());
    ModelVersion sentiment = registry.resolve(ModelRef.latest("SentimentAnalysisModel"));
    assertEquals("1", sentiment.version());
    assertEquals("1", sentiment.versionLabel()); // no version_label tag: the registry number
    assertTrue(sentiment.isReady());
    assertTrue(sentiment.artifactUri().startsWith("file:///C:/Users/"));
    assertTrue(registry.resolveArtifactDir(sentiment).endsWith(
        "mlruns/959476728104323097/4c3dfcbc7c4449ada66f1f185f38adb0/artifacts/sentiment_model"));

    ModelVersion iris = registry.resolve(ModelRef.version("tracking-quickstart", "1"));
    assertTrue(registry.resolveArtifactDir(iris).endsWith(
        "mlartifacts/241073999396881991/2038a9c1bb8d422c926dc35a87e492d5/artifacts/iris_model"));
    assertTrue(assertThrows(RegistryException.class,
        () -> registry.resolve(ModelRef.parse("tracking-quickstart"))).isNotFound(), "no champion alias");
  }

  @Test
  void refusesToServeScikitLearnModelsWithAClearMessage(@TempDir Path cache) {
    ModelLoader loader = new ModelLoader(registry, LoadOptions.defaults().withCacheDir(cache.toString()));
    for (String name : List.of("SentimentAnalysisModel", "tracking-quickstart")) {
      ModelVersion v = registry.resolve(ModelRef.latest(name));
      ModelRefusedException e = assertThrows(ModelRefusedException.class, () -> loader.load(v));
      assertEquals(Reason.UNSUPPORTED_FLAVOR, e.reason());
      assertEquals(name, e.model());
      assertEquals("1", e.version());
      assertTrue(e.getMessage().contains("[python_function, sklearn]"), e.getMessage());
      assertTrue(e.getMessage().contains("TensorFlow"), e.getMessage());
    }
  }

  @Test
  void refusesSourcesOutsideTheStore() {
    for (String source : List.of("s3://bucket/model", "/etc/passwd", "file:///etc", "mlflow-artifacts:/../../etc",
        "runs:/abc/../../x", "relative/../../../x", "http://evil.example/model")) {
      ModelVersion v = ModelVersion.of("m", "1", List.of(), "READY", source, Map.of());
      ModelRefusedException e = assertThrows(ModelRefusedException.class, () -> registry.resolveArtifactDir(v), source);
      assertTrue(e.reason() == Reason.UNSAFE_PATH || e.reason() == Reason.MISSING_ARTIFACT, source + ": " + e.reason());
    }
  }
}
