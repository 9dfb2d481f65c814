package com.cryptoml.inference.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;

/** The committed Parquet history reads back with the feature update fields, for every key. */
class HistoryTest {
  static final Path HISTORY = Path.of("data", "history");

  /** One history row as read back. */
  record Row(String eventId, long timestamp, String symbol, String exchange, String timeframe, Map<String, Double> features) {}

  static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(HISTORY)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  static List<Row> read(List<Path> files) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file), new PlainParquetConfiguration()).build()) {
        GenericRecord r;
        while ((r = reader.read()) != null) {
          Map<String, Double> f = new LinkedHashMap<>();
          for (String name : Features.NAMES) {
            f.put(name, (Double) r.get(name));
          }
          rows.add(new Row(r.get("event_id").toString(), (Long) r.get("timestamp"), r.get("symbol").toString(),
              r.get("exchange").toString(), r.get("timeframe").toString(), f));
        }
      }
    }
    return rows;
  }

  @Test
  void coversEverySymbolExchangeAndTimeframeAsTheManifestSays() throws IOException {
    List<Row> rows = read(files());
    JsonNode manifest = new ObjectMapper().readTree(Path.of("data", "MANIFEST.json").toFile());
    Map<String, Integer> perTimeframe = new HashMap<>();
    Set<String> keys = new HashSet<>();
    Set<String> ids = new HashSet<>();
    long missing = 0;
    for (Row r : rows) {
      perTimeframe.merge(r.timeframe(), 1, Integer::sum);
      keys.add(r.symbol() + "/" + r.exchange() + "/" + r.timeframe());
      ids.add(r.eventId());
      missing += r.features().values().stream().filter(v -> v == null).count();
    }
    for (Timeframe tf : Timeframe.values()) {
      assertEquals(manifest.get("history").get(tf.code()).asInt(), perTimeframe.get(tf.code()), tf.code());
    }
    assertEquals(3 * 3 * 6, keys.size(), keys.toString());
    assertEquals(rows.size(), ids.size(), "event ids are unique");
    double missingRate = (double) missing / (rows.size() * Features.NAMES.size());
    assertTrue(missingRate > 0 && missingRate < 0.01, "missing rate " + missingRate);
  }

  @Test
  void barsAreInEventTimeOrderWithGapsFromExchangeOutages() throws IOException {
    int gaps = 0;
    for (Timeframe tf : Timeframe.values()) {
      long bar = tf.barLength().toMillis();
      Map<String, Long> last = new HashMap<>();
      long previous = Long.MIN_VALUE;
      for (Row r : read(List.of(HISTORY.resolve("features-" + tf.code() + ".parquet")))) {
        assertTrue(r.timestamp() >= previous, "sorted by time");
        previous = r.timestamp();
        assertEquals(0, r.timestamp() % bar, "bar close times are on the " + tf + " grid");
        Long before = last.put(r.symbol() + r.exchange(), r.timestamp());
        gaps += before != null && r.timestamp() - before > bar ? 1 : 0;
      }
    }
    assertTrue(gaps > 0, "outages leave gaps");
  }
}
