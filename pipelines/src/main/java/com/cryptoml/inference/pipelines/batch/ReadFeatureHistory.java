package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.values.Schemas;
import com.cryptoml.inference.transforms.metrics.BundleMetrics;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads feature history from Parquet (each file with its own schema, split across workers) into
 * schema-aware {@link FeatureUpdate}s with ParquetIO's splittable read; rows that cannot be one are
 * dead letters.
 */
public final class ReadFeatureHistory extends PTransform<PBegin, WithDeadLetters<FeatureUpdate>> {
  public static final String ROWS_READ = "batch_rows_read";
  static final TupleTag<FeatureUpdate> UPDATES = new TupleTag<>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final String glob;

  public ReadFeatureHistory(String glob) {
    this.glob = glob;
  }

  @Override
  public WithDeadLetters<FeatureUpdate> expand(PBegin begin) {
    Coder<HistoryRecords.Row> coder;
    try {
      coder = begin.getPipeline().getSchemaRegistry().getSchemaCoder(HistoryRecords.Row.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    SerializableFunction<GenericRecord, HistoryRecords.Row> parse = HistoryRecords.converter("parquet:" + glob);
    PCollection<HistoryRecords.Row> rows = begin.apply("ReadParquet", ParquetIO.parseGenericRecords(parse).withCoder(coder).from(glob));
    PCollectionTuple split = rows.apply("SplitRows", ParDo.of(new DoFn<HistoryRecords.Row, FeatureUpdate>() {
      private transient BundleMetrics metrics;

      @StartBundle
      public void startBundle() {
        metrics = new BundleMetrics();
      }

      @ProcessElement
      public void process(@Element HistoryRecords.Row row, MultiOutputReceiver out) {
        metrics.inc(ROWS_READ);
        if (row.getUpdate() != null) {
          out.get(UPDATES).output(row.getUpdate());
        } else {
          metrics.inc(InferenceMetrics.DEAD_LETTERS + row.getDeadLetter().getReason());
          out.get(DEAD_LETTERS).output(row.getDeadLetter());
        }
      }

      @FinishBundle
      public void finishBundle() {
        metrics.flush();
      }
    }).withOutputTags(UPDATES, TupleTagList.of(DEAD_LETTERS)));
    return WithDeadLetters.of(UPDATES, split.get(UPDATES).setCoder(Schemas.coder(begin.getPipeline(), FeatureUpdate.class)), DEAD_LETTERS,
        split.get(DEAD_LETTERS));
  }
}
