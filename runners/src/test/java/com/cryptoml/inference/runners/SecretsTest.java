package com.cryptoml.inference.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.broker.LocalKafkaBroker;
import com.cryptoml.inference.pipelines.PipelineTestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials never show: with every logger at debug level, MLflow credentials in the environment
 * and a password typed into a registry URL appear nowhere in what the commands print or log.
 */
class SecretsTest {
  static final Map<String, String> ENV = Map.of("MLFLOW_TRACKING_TOKEN", "tok-3f9a-secret", "MLFLOW_TRACKING_USERNAME", "alice",
      "MLFLOW_TRACKING_PASSWORD", "pw-77c1-secret");

  static void assertNoSecret(ChildJvm child) {
    String out = child.output();
    for (String secret : List.of("tok-3f9a-secret", "pw-77c1-secret", "hunter2-secret")) {
      assertFalse(out.contains(secret), secret + " in:\n" + out);
    }
  }

  @Test
  void aPasswordInTheRegistryUrlIsRefusedAndNeverPrinted(@TempDir Path work) throws Exception {
    try (ChildJvm models = ChildJvm.start(ENV, "debug", "models", "--registry=http://alice:hunter2-secret@127.0.0.1:1",
        "--artifactCacheDir=" + work)) {
      assertEquals(2, models.awaitExit(Duration.ofSeconds(60)), models.output());
      assertTrue(models.output().contains("MLFLOW_TRACKING_PASSWORD"), models.output());
      assertNoSecret(models);
    }
    try (ChildJvm batch = ChildJvm.start(ENV, "debug", "batch", "--registry=http://alice:hunter2-secret@127.0.0.1:1",
        "--input=" + PipelineTestData.HISTORY_GLOB, "--output=" + work.resolve("out"), "--artifactCacheDir=" + work)) {
      assertEquals(2, batch.awaitExit(Duration.ofSeconds(60)), batch.output());
      assertNoSecret(batch);
    }
  }

  @Test
  void aStreamLoggingAtDebugLevelShowsNoCredential(@TempDir Path work) throws Exception {
    LocalKafkaBroker broker = LocalKafkaBroker.shared();
    List<String> args = new ArrayList<>(StreamCommandTest.streamArgs("secrets", broker.bootstrapServers(), work, 0));
    args.removeIf(a -> a.startsWith("--registry="));
    args.add("--registry=http://127.0.0.1:1");
    args.add("--startupWait=3s");
    try (ChildJvm stream = ChildJvm.start(ENV, "debug", args.toArray(String[]::new))) {
      stream.awaitLine(l -> l.startsWith("Waiting for the model registry"), Duration.ofSeconds(60));
      assertEquals(1, stream.awaitExit(Duration.ofSeconds(60)), stream.output());
      assertTrue(stream.output().contains("DEBUG"), "the run logged at debug level");
      assertNoSecret(stream);
    }
  }
}
