package com.cryptoml.inference.runners.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.runners.Main;
import com.cryptoml.inference.runners.cli.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./inference models} and {@code ./inference config} against the committed registry and profiles. */
class OperatorCommandsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  record Outcome(int status, String out, String err) {}

  static Outcome main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o); // the commands print to standard output, as ./inference does
      status = Cli.main(Main.PROGRAM, Main.COMMANDS, args, o, e);
    } finally {
      System.setOut(stdout);
    }
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void modelsListsEveryConfiguredVersionAsVerified(@TempDir Path cache) throws Exception {
    Outcome o = main("models", "--environment=local-dev", "--registry=" + PipelineTestData.REGISTRY, "--artifactCacheDir=" + cache);
    assertEquals(0, o.status(), o.out() + o.err());
    assertTrue(o.out().contains("All 10 references verified."), o.out());
    assertTrue(o.out().contains("swing-high-v1-1h@challenger") && o.out().contains("1.1.0"), o.out());
    assertTrue(o.out().contains("features: ret_1"), o.out());

    Outcome json = main("models", "--environment=local-dev", "--registry=" + PipelineTestData.REGISTRY, "--artifactCacheDir=" + cache,
        "--enabledTimeframes=1h", "--json", "--load");
    assertEquals(0, json.status(), json.err());
    List<String> lines = json.out().lines().toList();
    assertEquals(4, lines.size(), json.out());
    for (String line : lines) {
      JsonNode row = JSON.readTree(line);
      assertEquals("1h", row.get("timeframe").asText());
      assertTrue(row.get("verified").asBoolean(), line);
      assertEquals(64, row.get("sha256").asText().length(), line);
      assertTrue(row.get("load_ms").asLong() > 0, "loaded and warmed up: " + line);
    }
  }

  @Test
  void aTamperedArtifactMakesModelsExitNonZeroNamingTheVersionAndReason(@TempDir Path work) throws Exception {
    Path registry = work.resolve("registry");
    copy(Path.of(PipelineTestData.REGISTRY), registry);
    // swing-high-v1-1h version 2 (the challenger): one byte more in its saved_model.pb.
    Files.write(registry.resolve("mlruns/1/2dccbe62deee90b185655c7a4fa9d6a0/artifacts/model/tfmodel/saved_model.pb"),
        new byte[] {0}, StandardOpenOption.APPEND);
    Outcome o = main("models", "--environment=local-dev", "--registry=" + registry, "--artifactCacheDir=" + work.resolve("cache"),
        "--enabledTimeframes=1h");
    assertEquals(1, o.status(), o.out());
    String refused = o.out().lines().filter(l -> l.contains("REFUSED")).findFirst().orElseThrow(() -> new AssertionError(o.out()));
    assertTrue(refused.contains("swing-high-v1-1h@challenger") && refused.contains("checksum_mismatch"), refused);
    assertEquals(1, o.out().lines().filter(l -> l.contains("REFUSED")).count(), "only that version: " + o.out());
    assertTrue(o.out().contains("1 of 4 references would be refused."), o.out());
  }

  @Test
  void configPrintsEveryKeyWithWhereItCameFrom(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("overrides.yaml");
    Files.writeString(file, "inference_config:\n  batch_size: 48\n");
    Outcome o = main("config", "--environment=production", "--config=" + file, "--maxBatchWaitMs=5");
    assertEquals(0, o.status(), o.err());
    List<ConfigLoader.Value> values = ConfigLoader.resolve(new String[] {"--environment=production"}).values();
    for (ConfigLoader.Value v : values) {
      assertTrue(o.out().contains("\n" + v.entry().key() + " "), v.entry().key() + " in\n" + o.out());
    }
    assertTrue(line(o.out(), "inference_config.batch_size").contains("48") && line(o.out(), "inference_config.batch_size").contains("config file"));
    assertTrue(line(o.out(), "deployment.max_batch_wait_ms").contains("command line (--maxBatchWaitMs)"), o.out());
    assertTrue(line(o.out(), "inference_config.use_gpu").contains("environment file (embedded:production)"), o.out());
    assertTrue(o.out().lines().anyMatch(l -> l.endsWith("default")), o.out());
  }

  @Test
  void aConfigFileWithThreeMistakesGivesThreeErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, String.join("\n",
        "inference_config:",
        "  batch_sise: 32",               // unknown key
        "  warmup_iterations: -1",        // out of range
        "  max_feature_age: seven days",  // malformed duration
        ""));
    Outcome o = main("config", "--config=" + file);
    assertEquals(2, o.status(), o.out() + o.err());
    List<String> errors = o.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(3, errors.size(), o.err());
    assertTrue(errors.stream().anyMatch(l -> l.contains("batch_sise") && l.contains("did you mean 'inference_config.batch_size'")), o.err());
    assertTrue(errors.stream().anyMatch(l -> l.contains("warmup_iterations") && l.contains("-1")), o.err());
    assertTrue(errors.stream().anyMatch(l -> l.contains("max_feature_age") && l.contains("seven days")), o.err());
    assertFalse(o.err().contains("\tat "), o.err());
  }

  private static String line(String out, String key) {
    return out.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow(() -> new AssertionError(key + " in " + out));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
