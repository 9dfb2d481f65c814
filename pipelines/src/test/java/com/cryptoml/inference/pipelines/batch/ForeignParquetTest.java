package com.cryptoml.inference.pipelines.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet written by another tool (DuckDB, through its JDBC driver): a map column for the features
 * and microsecond UTC timestamps, as DuckDB writes them. The backfill reads it and says exactly what
 * it says over the generator's own files. Broken files fail the request naming the file and column;
 * rows with bad values are dead letters, counted.
 */
class ForeignParquetTest {
  private static final String FEATURES = "ret_1, ret_4, ret_12, rv_24, rsi_14, vol_z_24, dist_high_24, dist_low_24, atr_14";

  private static void duckdb(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET TimeZone='UTC'");
      s.execute(sql);
    }
  }

  private static String history(String tf) {
    return PipelineTestData.TESTDATA.resolve("data/history/features-" + tf + ".parquet").toAbsolutePath().toString();
  }

  @Test
  void duckDbMapLayoutGivesTheSamePredictions(@TempDir Path dir, @TempDir Path out1, @TempDir Path out2, @TempDir Path cache)
      throws Exception {
    Path foreign = dir.resolve("features-4h-duckdb.parquet");
    duckdb("COPY (SELECT symbol, exchange, timeframe, CAST(\"timestamp\" AS TIMESTAMPTZ) AS \"timestamp\", event_id, "
        + "map_from_entries(list_filter([" + entries() + "], e -> e.value IS NOT NULL)) AS features "
        + "FROM read_parquet('" + history("4h") + "')) TO '" + foreign + "' (FORMAT PARQUET)");
    BatchPipelineTest.Result ours = BatchPipelineTest.run(BatchPipelineTest.options(out1, cache, history("4h"), "--requestTimeframes=4h"));
    BatchPipelineTest.Result theirs = BatchPipelineTest.run(BatchPipelineTest.options(out2, cache, foreign.toString(), "--requestTimeframes=4h"));
    assertTrue(ours.total() > 300);
    assertEquals(ours.rows(), theirs.rows());
    assertEquals(ours.completion().at("/counts/4h/rows_in"), theirs.completion().at("/counts/4h/rows_in"));
  }

  private static String entries() {
    StringBuilder sb = new StringBuilder();
    for (String f : FEATURES.split(", ")) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append("{'key': '").append(f).append("', 'value': ").append(f).append("}");
    }
    return sb.toString();
  }

  @Test
  void anUnreadableFileFailsTheRequestNamingTheFile(@TempDir Path dir, @TempDir Path out, @TempDir Path cache) throws Exception {
    Path junk = dir.resolve("broken.parquet");
    Files.writeString(junk, "this is not parquet at all");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Backfills.prepare(BatchPipelineTest.options(out, cache, dir + "/*.parquet")));
    assertTrue(e.getMessage().contains(junk.toString()) && e.getMessage().contains("not a readable Parquet file"), e.getMessage());
  }

  @Test
  void aFileWithoutARequiredColumnFailsNamingFileAndColumn(@TempDir Path dir, @TempDir Path out, @TempDir Path cache) throws Exception {
    Path noExchange = dir.resolve("no-exchange.parquet");
    duckdb("COPY (SELECT symbol, timeframe, \"timestamp\", " + FEATURES + " FROM read_parquet('" + history("4h")
        + "')) TO '" + noExchange + "' (FORMAT PARQUET)");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Backfills.prepare(BatchPipelineTest.options(out, cache, noExchange.toString())));
    assertTrue(e.getMessage().contains(noExchange.toString()) && e.getMessage().contains("'exchange'"), e.getMessage());
  }

  @Test
  void rowsWithBadValuesAreDeadLetteredAndCounted(@TempDir Path dir, @TempDir Path out, @TempDir Path cache) throws Exception {
    Path bad = dir.resolve("features-4h-bad.parquet");
    // Three broken rows in March among the good ones: a NaN feature, an infinite one, no symbol.
    duckdb("COPY (SELECT event_id, \"timestamp\", symbol, exchange, timeframe, "
        + "CASE WHEN \"timestamp\" = TIMESTAMP '2024-03-10 04:00:00' AND symbol = 'BTCUSDT' THEN 'NaN'::DOUBLE ELSE ret_1 END AS ret_1, "
        + "CASE WHEN \"timestamp\" = TIMESTAMP '2024-03-11 08:00:00' AND symbol = 'ETHUSDT' THEN 'Infinity'::DOUBLE ELSE rsi_14 END AS rsi_14, "
        + "ret_4, ret_12, rv_24, vol_z_24, dist_high_24, dist_low_24, atr_14 FROM read_parquet('" + history("4h") + "') "
        + "UNION ALL SELECT 'no-symbol', TIMESTAMP '2024-03-12 00:00:00', NULL, 'BINANCE', '4h', 0.1, 50, 0, 0, 0.01, 0, 0, 0, 0.01) "
        + "TO '" + bad + "' (FORMAT PARQUET)");
    BatchPipelineTest.Result r = BatchPipelineTest.run(BatchPipelineTest.options(out, cache, bad.toString(), "--requestTimeframes=4h"));
    JsonNode dead = r.completion().at("/counts/4h/dead_lettered");
    assertEquals(2, dead.get("non_finite_value").asLong(), r.completion().toString());
    assertEquals(1, r.completion().at("/counts/-/dead_lettered/missing_field").asLong(), r.completion().toString());
    assertTrue(r.total() > 300, "the good rows around them still predict");
    long lines = Files.readAllLines(PipelineTestData.parquetFiles(out).isEmpty() ? null
        : Files.list(out.resolve("dead-letters")).findFirst().orElseThrow()).size();
    assertEquals(r.completion().at("/totals/dead_lettered").asLong(), lines);
  }
}
