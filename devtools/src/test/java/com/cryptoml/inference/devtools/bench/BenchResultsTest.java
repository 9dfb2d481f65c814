package com.cryptoml.inference.devtools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's results file, from a tiny quick run (the raw predictor for a fraction of a second,
 * the batch section over the committed 1m history): its structure, not its figures.
 */
class BenchResultsTest {
  private static final Path TESTDATA = Files.isDirectory(Path.of("..", "testdata")) ? Path.of("..", "testdata") : Path.of("testdata");

  @Test
  void aTinyQuickRunWritesEveryFieldOfTheResultsFile(@TempDir Path work) throws Exception {
    BenchMain.runForResults(new String[] {"--quick", "--sections=raw,batch", "--rawSeconds=0.2",
        "--largeInput=" + TESTDATA.resolve("data/history/features-1m.parquet"),
        "--registry=" + TESTDATA.resolve("data/registry"), "--work=" + work});

    JsonNode r = new ObjectMapper().readTree(work.resolve("results.json").toFile());
    assertEquals(BenchResults.FORMAT, r.get("format").asText());
    assertEquals("quick", r.get("mode").asText());
    assertTrue(r.get("duration_s").asDouble() > 0);
    assertFalse(r.get("commit").asText().isBlank());
    for (String field : List.of("cpu_model", "cores", "memory_mb", "java", "os", "max_heap_mb")) {
      assertTrue(r.get("machine").hasNonNull(field), "machine." + field);
    }
    assertTrue(r.at("/machine/cores").asInt() >= 1);
    assertEquals("raw,batch", r.at("/settings/sections").asText());

    // Every figure the two sections measure, each with a value, a unit and what it is.
    for (String name : List.of("raw_batch_32_pred_per_s", "hand_batch_rows_per_s", "plain_batch_rows_per_s", "ours_batch_rows_per_s")) {
      JsonNode f = r.at("/figures/" + name);
      assertTrue(f.get("value").isNumber() && f.get("value").asDouble() > 0, name);
      assertFalse(f.get("unit").asText().isBlank(), name);
      assertFalse(f.get("what").asText().isBlank(), name);
    }
    assertFalse(r.get("figures").has("ours_stream_1000_p99_ms"), "a section that did not run has no figures");

    // Every target is stated; those whose figures were measured carry their ratio and verdict.
    Set<String> names = new HashSet<>();
    for (JsonNode t : r.get("targets")) {
      names.add(t.get("name").asText());
      assertTrue(t.get("met").isBoolean());
      assertTrue(t.get("measured").isBoolean());
      assertTrue(t.get("bound").isNumber());
      assertTrue(Set.of(">=", "<=").contains(t.get("op").asText()));
      if (t.get("measured").asBoolean()) {
        double value = t.get("value").asDouble();
        assertEquals(t.get("op").asText().equals(">=") ? value >= t.get("bound").asDouble() : value <= t.get("bound").asDouble(),
            t.get("met").asBoolean(), t.get("name").asText());
      } else {
        assertTrue(t.get("value").isNull());
        assertFalse(t.get("met").asBoolean());
      }
    }
    assertEquals(Set.of("backfill_vs_plain_beam", "stream_p99_vs_plain_beam", "stream_sustains_10k", "first_prediction_within_10s",
        "demo_first_30s_p99"), names);
    JsonNode backfill = r.get("targets").get(0);
    assertEquals("backfill_vs_plain_beam", backfill.get("name").asText());
    assertTrue(backfill.get("measured").asBoolean());
    assertEquals(r.at("/figures/ours_batch_rows_per_s/value").asDouble() / r.at("/figures/plain_batch_rows_per_s/value").asDouble(),
        backfill.get("value").asDouble(), 0.01);
    assertTrue(r.get("context_ratios").size() > 0);
  }
}
