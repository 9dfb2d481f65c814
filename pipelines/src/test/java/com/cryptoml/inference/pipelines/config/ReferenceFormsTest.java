package com.cryptoml.inference.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.batch.BatchPreflight;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.Mode;
import com.cryptoml.inference.transforms.models.ActiveModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow's reference forms select the same versions as the short forms, in a backfill's preflight and
 * in a stream's: {@code models:/NAME@ALIAS}, {@code models:/NAME/VERSION}, {@code models:/NAME/STAGE}
 * and {@code name:Stage} against a copy of the committed registry with version 2 in Staging (as MLflow
 * 2.x writes {@code current_stage}).
 */
class ReferenceFormsTest {
  static final List<String> FORMS = List.of("swing-high-v1-1h@challenger", "models:/swing-high-v1-1h@challenger",
      "models:/swing-high-v1-1h/2", "swing-high-v1-1h:2", "models:/swing-high-v1-1h/staging", "swing-high-v1-1h:Staging");

  static Path registryWithStaging(Path work) throws IOException {
    Path registry = work.resolve("registry");
    try (Stream<Path> walk = Files.walk(Path.of(PipelineTestData.REGISTRY))) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = registry.resolve(Path.of(PipelineTestData.REGISTRY).relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Path meta = registry.resolve("mlruns/models/swing-high-v1-1h/version-2/meta.yaml");
    Files.writeString(meta, Files.readString(meta).replace("current_stage: None", "current_stage: Staging"));
    return registry;
  }

  static BatchOptions backfill(Path registry, Path work, String models) {
    return ConfigLoader.options(new String[] {"--registry=" + registry, "--artifactCacheDir=" + work.resolve("cache"),
        "--requestId=forms", "--requestSymbols=BTCUSDT", "--requestExchanges=BINANCE", "--requestTimeframes=1h",
        "--start=2024-03-01T00:00:00Z", "--end=2024-03-02T00:00:00Z", "--input=" + PipelineTestData.HISTORY_GLOB,
        "--output=" + work.resolve("out"), "--requestModels=" + models}, BatchOptions.class);
  }

  @Test
  void everyFormSelectsTheSameVersionInABackfill(@TempDir Path work) throws Exception {
    Path registry = registryWithStaging(work);
    for (String form : FORMS) {
      ActiveModels models = BatchPreflight.check(backfill(registry, work, form)).models();
      assertEquals(1, models.active().size(), form);
      ActiveModels.Entry e = models.active().values().iterator().next();
      assertEquals("swing-high-v1-1h", e.modelId(), form);
      assertEquals("2", e.version().version(), form);
      assertEquals("1.1.0", e.version().versionLabel(), form);
    }
  }

  @Test
  void everyFormSelectsTheSameVersionInAStream(@TempDir Path work) throws Exception {
    Path registry = registryWithStaging(work);
    InferenceConfig config = InferenceConfig.of(ConfigLoader.options(new String[] {"--registry=" + registry,
        "--artifactCacheDir=" + work.resolve("cache"), "--enabledTimeframes=1h", "--models=1h=" + String.join(",", FORMS)},
        StreamOptions.class), Mode.LIVE);
    ModelPreflight.Report report = ModelPreflight.run(config, false);
    Map<String, String> versions = new TreeMap<>();
    report.rows().forEach(r -> versions.put(r.ref(), r.version() + " " + r.verified()));
    assertEquals(FORMS.size(), report.rows().size(), versions.toString());
    versions.values().forEach(v -> assertEquals("2 true", v, versions.toString()));
  }

  @Test
  void aStageWithoutAVersionAndAnAliasThatIsNotThereAreRefusedTogether(@TempDir Path work) throws Exception {
    Path registry = registryWithStaging(work);
    BatchPreflight.Refused refused = assertThrows(BatchPreflight.Refused.class,
        () -> BatchPreflight.check(backfill(registry, work, "models:/swing-high-v1-1h/Production,models:/swing-high-v1-1h@nope")));
    assertEquals(2, refused.refusals().size(), refused.getMessage());
    refused.refusals().forEach(r -> assertEquals("not_found", r.reason(), r.toString()));
    assertTrue(refused.getMessage().contains("Production") && refused.getMessage().contains("nope"), refused.getMessage());
  }
}
