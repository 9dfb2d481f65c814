package com.cryptoml.inference.runners.replay;

import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Feature history (Parquet, the backfill's input format) as feature update JSON in event-time order, for replays. */
public final class HistoryReplay {
  private HistoryReplay() {}

  /** One message to send: topic suffix (timeframe), key, value, bar time. */
  public record Message(String timeframe, String key, String json, long barMillis, String symbol, String exchange) {}

  /** Bars closing after {@code fromMillis} up to and including {@code toMillis}, from a Parquet file or every one in a directory. */
  public static List<Message> load(Path input, long fromMillis, long toMillis) throws IOException {
    List<Message> out = new ArrayList<>();
    for (Path file : files(input)) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
          new PlainParquetConfiguration()).build()) {
        GenericRecord r;
        while ((r = reader.read()) != null) {
          long t = (Long) r.get("timestamp");
          if (t > fromMillis && t <= toMillis) {
            out.add(message(r, t));
          }
        }
      }
    }
    out.sort(Comparator.comparingLong(Message::barMillis).thenComparing(Message::timeframe).thenComparing(Message::key));
    return out;
  }

  private static List<Path> files(Path input) throws IOException {
    if (Files.isRegularFile(input)) {
      return List.of(input);
    }
    if (!Files.isDirectory(input)) {
      throw new IllegalArgumentException("--input: " + input + " is neither a Parquet file nor a directory");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(input, "*.parquet")) {
      found.forEach(files::add);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--input: " + input + " holds no .parquet file");
    }
    files.sort(Comparator.naturalOrder());
    return files;
  }

  private static Message message(GenericRecord r, long t) {
    Map<String, Double> features = new HashMap<>();
    for (org.apache.avro.Schema.Field f : r.getSchema().getFields()) {
      if (r.get(f.pos()) instanceof Double d) {
        features.put(f.name(), d);
      }
    }
    FeatureUpdate u = FeatureUpdate.builder().setEventId(r.get("event_id").toString())
        .setTimestamp(new org.joda.time.Instant(t)).setSymbol(r.get("symbol").toString())
        .setExchange(r.get("exchange").toString()).setTimeframe(r.get("timeframe").toString())
        .setFeatureSetVersion(r.get("feature_set_version").toString()).setFeatures(features)
        .setSource("replay").setPayload(null).build();
    return new Message(u.getTimeframe(), u.getSymbol() + ":" + u.getExchange(), EventJson.featureUpdate(u), t,
        u.getSymbol(), u.getExchange());
  }
}
