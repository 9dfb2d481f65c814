package com.cryptoml.inference.devtools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * The hand-written batch program's work as the least Beam pipeline that does it, on the Direct
 * runner with the backfill's settings: ParquetIO's read, as the backfill reads its history, one step that
 * z-scores and predicts each bundle's rows in batches, and ParquetIO's sink through
 * {@code FileIO.write()}'s defaults (or no write at all). No validation, history, quality or report.
 * Without the write it measures what the runner leaves to any pipeline that reads the history and
 * predicts on this machine: a ceiling on the backfill's ratios. With it, what the stock file write
 * adds (on the Direct runner its default sharding takes every element through a grouping).
 */
final class PlainBeamBatch {
  private static final Schema OUT = HandWrittenBatch.OUT;

  private PlainBeamBatch() {}

  /** @param output where ParquetIO's sink writes, through {@code FileIO.write()}'s defaults; null: predictions are dropped */
  static HandWrittenBatch.Result run(String registry, String modelRef, String cacheDir, Path input, Path output, int batch) {
    DirectOptions o = PipelineOptionsFactory.fromArgs("--enforceImmutability=false", "--enforceEncodability=false")
        .as(DirectOptions.class);
    o.setBlockOnRun(true);
    Pipeline p = Pipeline.create(o);
    PCollection<GenericRecord> predicted = p.apply("Read", ParquetIO.read(schemaOf(input)).from(input.toString()))
        .apply("Predict", ParDo.of(new PredictFn(registry, modelRef, cacheDir, batch)))
        .setCoder(AvroCoder.generic(OUT));
    if (output != null) {
      predicted.apply("Write", FileIO.<GenericRecord>write().via(ParquetIO.sink(OUT)).to(output.toString()).withSuffix(".parquet"));
    }
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new HandWrittenBatch.Result(counter(result, PredictFn.ROWS), counter(result, PredictFn.PREDICTED), seconds);
  }

  private static Schema schemaOf(Path input) {
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(input))
        .withConf(new PlainParquetConfiguration()).build()) {
      GenericRecord first = reader.read();
      if (first == null) {
        throw new IllegalStateException(input + " holds no rows");
      }
      return first.getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(PlainBeamBatch.class, name)).build()).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  /** The hand-written program's loop body as a DoFn: rows with a missing feature are skipped, as there. */
  static final class PredictFn extends PlainPredictFn<GenericRecord, GenericRecord, GenericRecord> {
    static final String ROWS = "rows";
    static final String PREDICTED = "predicted";
    private final Counter rows = Metrics.counter(PlainBeamBatch.class, ROWS);
    private final Counter predicted = Metrics.counter(PlainBeamBatch.class, PREDICTED);
    private transient double[] values;
    private transient long bundleRows;
    private transient long bundlePredicted;

    PredictFn(String registry, String modelRef, String cacheDir, int batch) {
      super(registry, modelRef, cacheDir, batch);
    }

    @Override
    GenericRecord output(GenericRecord row, float[] probabilities, int i, int classes) {
      return HandWrittenBatch.prediction(row, probabilities, i, classes);
    }

    @StartBundle
    public void startBundle() {
      if (values == null) {
        values = new double[model.width];
      }
      bundleRows = 0;
      bundlePredicted = 0;
    }

    @ProcessElement
    public void process(@Element GenericRecord r, OutputReceiver<GenericRecord> out) throws Exception {
      bundleRows++;
      for (int j = 0; j < values.length; j++) {
        Object v = r.get(model.metadata.features().get(j));
        if (v == null) {
          return;
        }
        values[j] = ((Number) v).doubleValue();
      }
      model.normalize(values, buffer, nextRow());
      add(r, record -> {
        out.output(record);
        bundlePredicted++;
      });
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws Exception {
      bundlePredicted += flush(record -> c.output(record, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
      // Once a bundle: the runner collects metric updates after every element.
      rows.inc(bundleRows);
      predicted.inc(bundlePredicted);
    }
  }
}
