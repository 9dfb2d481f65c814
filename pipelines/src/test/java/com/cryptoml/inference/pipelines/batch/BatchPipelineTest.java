package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.pipelines.config.ConfigLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "What would the 1h and 4h models have said on every bar of BTC and ETH on Binance in March?",
 * end to end over the committed history: Parquet out, read back, counted against the completion
 * event, every row valid against the prediction schema; a second run gives the same rows.
 */
class BatchPipelineTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static BatchOptions options(Path output, Path cache, String input, String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--registry=" + PipelineTestData.REGISTRY,
        "--artifactCacheDir=" + cache,
        "--warmupIterations=2",
        "--predictionTimeoutMs=30000",
        "--requestId=march-backfill",
        "--requestSymbols=BTCUSDT,ETHUSDT",
        "--requestExchanges=BINANCE",
        "--requestTimeframes=1h,4h",
        "--start=2024-03-01T00:00:00Z",
        "--end=2024-04-01T00:00:00Z",
        "--input=" + input,
        "--output=" + output));
    for (String e : extra) {
      String key = e.substring(0, e.indexOf('=') + 1);
      args.removeIf(a -> a.startsWith(key));
      args.add(e);
    }
    return ConfigLoader.options(args.toArray(String[]::new), BatchOptions.class);
  }

  /** Runs a backfill; returns the completion event and the prediction rows by timeframe. */
  static Result run(BatchOptions options) throws Exception {
    Backfills.Prepared prepared = Backfills.prepare(options);
    prepared.pipeline().run().waitUntilFinish();
    Path out = Path.of(options.getOutput());
    JsonNode completion = JSON.readTree(Files.readString(out.resolve("batch_completed.json")));
    Map<String, List<PredictionEvent>> byTimeframe = new HashMap<>();
    for (Path file : PipelineTestData.parquetFiles(out.resolve("predictions"))) {
      String tf = file.getParent().getFileName().toString().replace("timeframe=", "");
      for (GenericRecord r : PipelineTestData.readParquet(file)) {
        byTimeframe.computeIfAbsent(tf, k -> new ArrayList<>()).add(PipelineTestData.toEvent(r));
      }
    }
    return new Result(completion, byTimeframe);
  }

  record Result(JsonNode completion, Map<String, List<PredictionEvent>> predictions) {
    long total() {
      return predictions.values().stream().mapToLong(List::size).sum();
    }

    /** Everything but the wall-clock fields. */
    TreeSet<String> rows() {
      TreeSet<String> out = new TreeSet<>();
      predictions.values().forEach(list -> list.forEach(e -> out.add(
          EventJson.prediction(e.toBuilder().setTimestamp(new org.joda.time.Instant(0)).setInferenceLatencyMs(0).build()))));
      return out;
    }
  }

  @Test
  void backfillWritesPartitionedParquetMatchingTheCompletionEvent(@TempDir Path out, @TempDir Path cache) throws Exception {
    Result r = run(options(out, cache, PipelineTestData.HISTORY_GLOB));
    JsonNode c = r.completion();
    assertEquals("batch_completed", c.get("event_type").asText());
    assertEquals("march-backfill", c.get("request_id").asText());
    assertEquals("succeeded", c.get("status").asText());
    assertEquals("batch", c.get("mode").asText());
    assertEquals(Set.of("1h", "4h"), r.predictions().keySet());

    // 31 days of 1h bars and of 4h bars for 2 symbols on one exchange (gaps from outages aside).
    long rowsIn1h = c.at("/counts/1h/rows_in").asLong();
    long rowsIn4h = c.at("/counts/4h/rows_in").asLong();
    assertTrue(rowsIn1h > 2 * 31 * 24 * 0.97 && rowsIn1h <= 2 * 31 * 24, "1h rows " + rowsIn1h);
    assertTrue(rowsIn4h > 2 * 31 * 6 * 0.97 && rowsIn4h <= 2 * 31 * 6, "4h rows " + rowsIn4h);

    for (String tf : List.of("1h", "4h")) {
      long counted = 0;
      for (var it = c.at("/counts/" + tf + "/predicted").fields(); it.hasNext(); ) {
        var e = it.next();
        long rows = r.predictions().get(tf).stream().filter(p -> (p.getModelId() + "@" + p.getModelVersion()).equals(e.getKey())).count();
        assertEquals(e.getValue().asLong(), rows, tf + " " + e.getKey());
        counted += e.getValue().asLong();
      }
      assertEquals(counted, r.predictions().get(tf).size(), tf);
    }
    assertEquals(r.total(), c.at("/totals/predicted").asLong());
    // Four 1h models and two 4h models on every bar in range; history before March fills the lookback.
    assertEquals(4 * rowsIn1h + 2 * rowsIn4h, r.total() + c.at("/totals/dead_lettered").asLong());
    assertTrue(c.at("/counts/1h/predicted/swing-high-v1-1h@1.1.0").asLong() > 0, "the challenger ran beside the champion");
    assertEquals("2.0.0", c.at("/model_versions/swing-high-v2-1h@champion/model_version").asText());

    for (List<PredictionEvent> events : r.predictions().values()) {
      for (PredictionEvent e : events) {
        String json = EventJson.prediction(e);
        assertEquals(Set.of(), PipelineTestData.validatePrediction(json), json);
        assertTrue(!e.getFeatureTimestamp().isBefore(org.joda.time.Instant.parse("2024-03-01T00:00:00Z")));
        assertEquals("march-backfill", e.getBatchRequestId());
        assertEquals("BINANCE", e.getExchange());
        boolean challenger = (e.getModelId() + "@" + e.getModelVersion()).equals("swing-high-v1-1h@1.1.0");
        assertEquals(challenger ? "challenger" : "champion", e.getModelRole(), json);
        assertEquals(e.getModelId() + (challenger ? "@challenger" : "@champion"), e.getModelRef(), json);
        assertFalse(e.getProbabilities().isEmpty(), "class models fill probabilities");
        assertNull(e.getScore(), "class models have no score");
      }
    }
    List<String> files = new ArrayList<>();
    c.at("/output_files/predictions").forEach(f -> files.add(f.asText()));
    Collections.sort(files);
    List<String> written = PipelineTestData.parquetFiles(out.resolve("predictions")).stream().map(p -> p.toAbsolutePath().toString()).toList();
    assertEquals(written, files);
    for (String file : written) { // no "-of-N" that could promise files that were not written
      assertTrue(Path.of(file).getFileName().toString().matches("predictions-[0-9]{5}\\.parquet"), file);
    }
    assertEquals(1, c.at("/output_files/dead_letters").size());
    for (Path file : PipelineTestData.parquetFiles(out.resolve("predictions"))) {
      assertColumnSettings(file);
    }
  }

  private static boolean dictionaryEncoded(ColumnChunkMetaData column) {
    return column.getEncodings().stream().anyMatch(Encoding::usesDictionary);
  }

  /**
   * Distinct-valued columns come out plain, the others with their dictionary, and a random id has no
   * min/max. (Asking for plain from the start changes no output, as the writer falls back to plain for
   * those columns after a page anyway; it saves the hashing before that, see docs/benchmarks.md.)
   */
  private static void assertColumnSettings(Path file) throws Exception {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      Map<String, ColumnChunkMetaData> columns = new HashMap<>();
      reader.getFooter().getBlocks().get(0).getColumns().forEach(col -> columns.put(col.getPath().toDotString(), col));
      for (String plain : PredictionFiles.PLAIN_COLUMNS) {
        assertFalse(dictionaryEncoded(columns.get(plain)), plain + " " + columns.get(plain).getEncodings());
      }
      for (String dictionary : List.of("symbol", "model_id", "prediction", "probabilities.key_value.key")) {
        assertTrue(dictionaryEncoded(columns.get(dictionary)), dictionary + " " + columns.get(dictionary).getEncodings());
      }
      assertFalse(columns.get("event_id").getStatistics().hasNonNullValue(), "no min/max for event_id");
      assertTrue(columns.get("symbol").getStatistics().hasNonNullValue(), "min/max for symbol");
    }
  }

  @Test
  void theSameRequestTwiceGivesTheSameRows(@TempDir Path first, @TempDir Path second, @TempDir Path cache) throws Exception {
    Result a = run(options(first, cache, PipelineTestData.HISTORY_GLOB, "--requestTimeframes=4h"));
    Result b = run(options(second, cache, PipelineTestData.HISTORY_GLOB, "--requestTimeframes=4h"));
    assertTrue(a.total() > 300);
    assertEquals(a.rows(), b.rows());
    assertNotEquals(a.completion().get("event_id"), b.completion().get("event_id"), "another output folder, another completion");
    Result again = run(options(first, cache, PipelineTestData.HISTORY_GLOB, "--requestTimeframes=4h"));
    assertEquals(a.completion().get("event_id"), again.completion().get("event_id"), "the same request to the same place");
  }

  @Test
  void scalarModelsFillScoreAndQualityWindowsEndInsideTheRange(@TempDir Path out, @TempDir Path cache) throws Exception {
    org.joda.time.Instant start = org.joda.time.Instant.parse("2024-03-28T00:00:00Z"); // the 15m history covers the last days
    org.joda.time.Instant end = org.joda.time.Instant.parse("2024-04-01T00:00:00Z");
    BatchOptions options = options(out, cache, PipelineTestData.HISTORY_GLOB, "--requestTimeframes=15m,1h",
        "--requestModels=volatility-v1-15m,momentum-v1-1h", "--start=" + start, "--end=" + end);
    Backfills.Prepared prepared = Backfills.prepare(options);
    org.apache.beam.sdk.testing.PAssert.that(prepared.outputs().quality().featureDrift()).satisfies(drift -> {
      int n = 0;
      for (var d : drift) {
        assertTrue(d.getWindowEnd().isAfter(start) && !d.getWindowEnd().isAfter(end), d.toString());
        n++;
      }
      assertTrue(n > 0, "drift windows inside the range");
      return null;
    });
    org.apache.beam.sdk.testing.PAssert.that(prepared.outputs().quality().predictionMix()).satisfies(mix -> {
      mix.forEach(m -> assertTrue(m.getWindowEnd().isAfter(start) && !m.getWindowEnd().isAfter(end), m.toString()));
      return null;
    });
    prepared.pipeline().run().waitUntilFinish();
    Map<String, List<PredictionEvent>> byTimeframe = new HashMap<>();
    for (Path file : PipelineTestData.parquetFiles(out.resolve("predictions"))) {
      String tf = file.getParent().getFileName().toString().replace("timeframe=", "");
      PipelineTestData.readParquet(file).forEach(r -> byTimeframe.computeIfAbsent(tf, k -> new ArrayList<>()).add(PipelineTestData.toEvent(r)));
    }
    assertTrue(byTimeframe.get("15m").size() > 100);
    for (PredictionEvent e : byTimeframe.get("15m")) {
      assertNotNull(e.getScore(), "a scalar model's output is its score");
      assertTrue(e.getProbabilities().isEmpty(), "and no probabilities");
      String json = EventJson.prediction(e);
      assertTrue(json.contains("\"score\":") && !json.contains("\"probabilities\""), json);
      assertEquals(Set.of(), PipelineTestData.validatePrediction(json), json);
    }
    byTimeframe.get("1h").forEach(e -> assertNull(e.getScore()));
  }

  @Test
  void badRequestsAreRefusedBeforeThePipelineStarts(@TempDir Path out, @TempDir Path cache) {
    for (String[] bad : new String[][] {
        {"--requestModels=ghost-v9-1h", "ghost-v9-1h: not_found"},
        {"--requestSymbols=DOGEUSDT", "unknown symbol DOGEUSDT"},
        {"--start=2024-04-01T00:00:00Z", "the time range is empty"},
        {"--requestExchanges=KRAKEN", "unknown exchange KRAKEN"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Backfills.prepare(options(out, cache, PipelineTestData.HISTORY_GLOB, bad[0])), bad[0]);
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
    IllegalArgumentException tf = assertThrows(IllegalArgumentException.class,
        () -> Backfills.prepare(options(out, cache, PipelineTestData.HISTORY_GLOB, "--requestTimeframes=2h")));
    assertTrue(tf.getMessage().contains("unknown timeframe '2h'"), tf.getMessage());
    assertTrue(!Files.exists(out.resolve("batch_completed.json")));
  }
}
