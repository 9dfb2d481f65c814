package com.cryptoml.inference.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The row-group reader against ParquetIO on the same files (written by DuckDB, several row groups,
 * nulls): the same records, each exactly once, and one listed row group per row group in the footers.
 */
@ExtendWith(TestPipelineExtension.class)
class ReadParquetRowGroupsTest {
  private static final int ROWS = 10_000;

  private static final SerializableFunction<GenericRecord, String> TEXT =
      r -> r.get("id") + "|" + r.get("v") + "|" + r.get("s");

  private static long query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void duckdb(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void readsWhatParquetIoReadsOneRowGroupAtATime(@TempDir Path dir, TestPipeline p) throws Exception {
    String rows = "SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.5 END::DOUBLE AS v, 's' || i AS s FROM range(";
    duckdb("COPY (" + rows + ROWS + ") t(i)) TO '" + dir.resolve("big.parquet") + "' (FORMAT PARQUET, ROW_GROUP_SIZE 2048)");
    duckdb("COPY (" + rows + ROWS + ", " + (ROWS + 3) + ") t(i)) TO '" + dir.resolve("small.parquet") + "' (FORMAT PARQUET)");
    String glob = dir.resolve("*.parquet").toString();
    long groups = query("SELECT count(*) FROM (SELECT DISTINCT file_name, row_group_id FROM parquet_metadata('" + glob + "'))");
    assertTrue(groups >= 5, "several row groups: " + groups);

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < ROWS + 3; i++) {
      expected.add(i + "|" + (i % 7 == 0 ? "null" : String.valueOf(i * 0.5)) + "|s" + i);
    }
    PAssert.that(p.apply("ByRowGroup", ReadParquetRowGroups.parse(glob, TEXT, StringUtf8Coder.of())))
        .containsInAnyOrder(expected);
    PAssert.that(p.apply("ParquetIO", ParquetIO.parseGenericRecords(TEXT).withCoder(StringUtf8Coder.of()).from(glob)))
        .containsInAnyOrder(expected);
    PAssert.that(p.apply("Match", FileIO.match().filepattern(glob))
            .apply("List", ParDo.of(new ReadParquetRowGroups.ListRowGroupsFn()))
            .setCoder(SerializableCoder.of(ReadParquetRowGroups.RowGroup.class))
            .apply("Describe", MapElements.into(TypeDescriptors.strings())
                .via(g -> Path.of(g.file()).getFileName() + "#" + g.index())))
        .satisfies(listed -> {
          List<String> all = new ArrayList<>();
          listed.forEach(all::add);
          assertTrue(all.size() == groups && all.stream().distinct().count() == groups,
              "each row group listed once, as in the footers (" + groups + "): " + all);
          return null;
        });
    p.run().waitUntilFinish();
  }
}
