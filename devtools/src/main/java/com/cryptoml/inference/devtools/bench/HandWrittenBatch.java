package com.cryptoml.inference.devtools.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;

/**
 * The batch program a user would write instead of a backfill: read the Parquet history with the
 * Parquet library, z-score, call the predictor in batches, write predictions as Parquet. No
 * validation, imputation, routing, events or dead letters: rows with a missing feature are skipped.
 */
final class HandWrittenBatch {
  static final Schema OUT = SchemaBuilder.record("Prediction").fields()
      .requiredString("symbol").requiredString("exchange").requiredLong("timestamp")
      .requiredInt("prediction").requiredDouble("confidence").endRecord();

  record Result(long rowsIn, long predictions, double seconds) {
    double rowsPerSecond() {
      return rowsIn / seconds;
    }
  }

  static Result run(PlainPredictor model, Path input, Path output, int batch) throws Exception {
    Files.createDirectories(output.getParent());
    List<String> features = model.metadata.features();
    float[] buffer = new float[batch * model.width];
    GenericRecord[] pending = new GenericRecord[batch];
    double[] values = new double[model.width];
    long rows = 0;
    long predicted = 0;
    long start = System.nanoTime();
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(input))
            .withConf(new PlainParquetConfiguration()).build();
        ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(output))
            .withSchema(OUT).withConf(new PlainParquetConfiguration()).withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
      int n = 0;
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        rows++;
        boolean complete = true;
        for (int j = 0; j < values.length && complete; j++) {
          Object v = r.get(features.get(j));
          complete = v != null;
          values[j] = complete ? ((Number) v).doubleValue() : 0;
        }
        if (!complete) {
          continue;
        }
        model.normalize(values, buffer, n);
        pending[n++] = r;
        if (n == batch) {
          predicted += flush(model, buffer, pending, n, writer);
          n = 0;
        }
      }
      predicted += flush(model, buffer, pending, n, writer);
    }
    return new Result(rows, predicted, (System.nanoTime() - start) / 1e9);
  }

  private static int flush(PlainPredictor model, float[] buffer, GenericRecord[] rows, int n, ParquetWriter<GenericRecord> writer)
      throws Exception {
    if (n == 0) {
      return 0;
    }
    float[] p = model.predict(buffer, n);
    int classes = p.length / n;
    for (int i = 0; i < n; i++) {
      writer.write(prediction(rows[i], p, i, classes));
    }
    return n;
  }

  /** The prediction record for history row {@code in}, row {@code i} of row-major probabilities. */
  static GenericRecord prediction(GenericRecord in, float[] probabilities, int i, int classes) {
    int best = PlainPredictor.argmax(probabilities, i, classes);
    GenericRecord out = new GenericData.Record(OUT);
    out.put("symbol", in.get("symbol").toString());
    out.put("exchange", in.get("exchange").toString());
    out.put("timestamp", ((Number) in.get("timestamp")).longValue());
    out.put("prediction", best - 1);
    out.put("confidence", (double) probabilities[i * classes + best]);
    return out;
  }
}
