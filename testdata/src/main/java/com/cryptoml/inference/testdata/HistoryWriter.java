package com.cryptoml.inference.testdata;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes feature history as Parquet: the feature update event's fields, one nullable double column
 * per feature (the "wide" layout), {@code timestamp} as a UTC timestamp-millis.
 */
final class HistoryWriter implements Closeable {
  static final Schema SCHEMA = schema(Features.NAMES);

  private final ParquetWriter<GenericRecord> writer;
  private long rows;

  HistoryWriter(Path file) throws IOException {
    this(file, ParquetWriter.DEFAULT_BLOCK_SIZE);
  }

  /** @param rowGroupBytes Parquet's row group size (buffered bytes per row group) */
  HistoryWriter(Path file, long rowGroupBytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
        .withSchema(SCHEMA)
        .withConf(new PlainParquetConfiguration())
        .withCompressionCodec(CompressionCodecName.GZIP)
        .withRowGroupSize(rowGroupBytes)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  static Schema schema(List<String> features) {
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("FeatureUpdate")
        .namespace("com.cryptoml.inference").fields()
        .requiredString("event_id")
        .name("timestamp").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
        .requiredString("service")
        .requiredString("environment")
        .requiredString("event_type")
        .requiredString("symbol")
        .requiredString("exchange")
        .requiredString("timeframe")
        .requiredString("feature_set_version");
    for (String f : features) {
      fields = fields.optionalDouble(f);
    }
    return fields.endRecord();
  }

  void write(FeatureRow row) throws IOException {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("event_id", row.eventId());
    r.put("timestamp", row.closeMillis());
    r.put("service", FeatureRow.SERVICE);
    r.put("environment", FeatureRow.ENVIRONMENT);
    r.put("event_type", "feature_update");
    r.put("symbol", row.symbol());
    r.put("exchange", row.exchange());
    r.put("timeframe", row.timeframe().code());
    r.put("feature_set_version", FeatureRow.FEATURE_SET_VERSION);
    for (int i = 0; i < Features.NAMES.size(); i++) {
      double v = row.values()[i];
      r.put(Features.NAMES.get(i), Double.isNaN(v) ? null : v);
    }
    writer.write(r);
    rows++;
  }

  long rows() {
    return rows;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
