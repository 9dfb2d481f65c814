package com.cryptoml.inference.pipelines.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill's side of the bad-input table: Parquet rows that are broken in every way a Parquet file
 * can be (the JSON-only cases, such as malformed text or a wrong JSON type, cannot occur in a typed
 * column), mixed into the real history in shuffled order. Each becomes exactly one dead letter per
 * model it concerns, with its reason and the row; every valid row in range is predicted by both models.
 */
class BadInputParquetTest {
  private static final String FEATURES = "ret_1, ret_4, ret_12, rv_24, rsi_14, vol_z_24, dist_high_24, dist_low_24, atr_14";
  private static final String START = "2024-03-01T00:00:00Z";
  private static final String END = "2024-03-04T00:00:00Z";

  /** A bad row (SQL select list in the history's column order) and the dead letters it must give. */
  record Case(String name, String select, Map<String, Integer> expected) {}

  static List<Case> cases() {
    String nines = "0.001, 0.002, 0.003, 0.01, 55.0, 0.1, -0.01, 0.01, 0.02";
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("no symbol", "'c1', TIMESTAMP '2024-03-02 05:00:00', NULL, 'BINANCE', '1h', " + nines,
        Map.of("missing_field", 1)));
    cases.add(new Case("no timestamp", "'c2', NULL, 'BTCUSDT', 'BINANCE', '1h', " + nines, Map.of("missing_field", 1)));
    cases.add(new Case("NaN feature", "'c3', TIMESTAMP '2024-03-03 23:00:00', 'SOLUSDT', 'BINANCE', '1h', 'NaN'::DOUBLE, "
        + nines.substring(nines.indexOf(',') + 2), Map.of("non_finite_value", 1)));
    cases.add(new Case("infinite feature", "'c4', TIMESTAMP '2024-03-03 22:00:00', 'SOLUSDT', 'BINANCE', '1h', "
        + nines.replace("55.0", "'-Infinity'::DOUBLE"), Map.of("non_finite_value", 1)));
    cases.add(new Case("duplicate bar", "event_id || '-again', \"timestamp\", symbol, exchange, timeframe, " + FEATURES
        + " FROM read_parquet('HISTORY') WHERE symbol = 'ETHUSDT' AND exchange = 'BINANCE' AND \"timestamp\" = TIMESTAMP '2024-03-02 10:00:00'",
        Map.of("duplicate_bar", 1)));
    cases.add(new Case("no features at all", "'c6', TIMESTAMP '2024-03-03 21:00:00', 'SOLUSDT', 'BINANCE', '1h', "
        + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL", Map.of("empty_features", 1)));
    // Two of nine: more than max_imputed_fraction would be imputed, for each of the two models.
    cases.add(new Case("two of nine features", "'c7', TIMESTAMP '2024-03-03 20:00:00', 'SOLUSDT', 'BINANCE', '1h', "
        + "0.001, NULL, NULL, NULL, 55.0, NULL, NULL, NULL, NULL", Map.of("incomplete_features", 2)));
    return cases;
  }

  private static void duckdb(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET TimeZone='UTC'");
      s.execute(sql);
    }
  }

  private static long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET TimeZone='UTC'");
      try (ResultSet r = s.executeQuery(sql)) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  @Test
  void everyBadRowIsDeadLetteredWithItsReasonAndTheValidRowsArePredicted(@TempDir Path dir,
      @TempDir Path out, @TempDir Path cache) throws Exception {
    String history = PipelineTestData.TESTDATA.resolve("data/history/features-1h.parquet").toAbsolutePath().toString();
    String valid = "SELECT event_id, \"timestamp\", symbol, exchange, timeframe, " + FEATURES + " FROM read_parquet('" + history + "') "
        + "WHERE exchange = 'BINANCE' AND symbol IN ('BTCUSDT', 'ETHUSDT')";
    StringBuilder union = new StringBuilder(valid);
    for (Case c : cases()) {
      String select = c.select().replace("HISTORY", history);
      union.append(" UNION ALL SELECT ").append(select);
    }
    Path file = dir.resolve("features-1h-bad.parquet");
    // Shuffled: a backfill's input has no order, so out-of-order rows are the normal case. Small row
    // groups: the bad rows land in different ones.
    duckdb("COPY (SELECT * FROM (" + union + ") ORDER BY hash(event_id)) TO '" + file + "' (FORMAT PARQUET, ROW_GROUP_SIZE 1024)");
    assertTrue(count("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + file + "')") > 1, "several row groups");
    long validInRange = count("SELECT count(*) FROM (" + valid + ") WHERE \"timestamp\" >= TIMESTAMP '2024-03-01 00:00:00' "
        + "AND \"timestamp\" < TIMESTAMP '2024-03-04 00:00:00'");
    assertTrue(validInRange > 100, "history in range: " + validInRange);

    BatchPipelineTest.Result r = BatchPipelineTest.run(BatchPipelineTest.options(out, cache, file.toString(),
        "--requestTimeframes=1h", "--requestSymbols=BTCUSDT,ETHUSDT,SOLUSDT", "--requestModels=momentum-v1-1h,swing-high-v1-1h",
        "--start=" + START, "--end=" + END));

    Map<String, Integer> expected = new TreeMap<>();
    cases().forEach(c -> c.expected().forEach((reason, n) -> expected.merge(reason, n, Integer::sum)));
    Map<String, Integer> lines = new TreeMap<>();
    try (Stream<Path> files = Files.list(out.resolve("dead-letters"))) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode e = BatchPipelineTest.JSON.readTree(line);
          lines.merge(e.get("reason").asText(), 1, Integer::sum);
          assertEquals("inference_error", e.get("event_type").asText());
          assertFalse(e.get("original_payload").asText().isEmpty() && e.get("symbol") == null, "the row or its key is kept: " + line);
        }
      }
    }
    assertEquals(expected, lines, "one dead letter per bad row and model, with its reason");
    Map<String, Integer> counted = new TreeMap<>();
    r.completion().get("counts").fields().forEachRemaining(tf -> tf.getValue().path("dead_lettered").fields()
        .forEachRemaining(e -> counted.merge(e.getKey(), e.getValue().asInt(), Integer::sum)));
    assertEquals(expected, counted, "the completion event counts the same");
    assertEquals(2 * validInRange, r.total(), "every valid row in range, by both models");
  }
}
