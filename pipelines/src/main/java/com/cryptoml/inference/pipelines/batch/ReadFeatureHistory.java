package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads feature history with ParquetIO (each file with its own schema, split across workers) into
 * schema-aware {@link FeatureUpdate}s; rows that cannot be one are dead letters.
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
    PCollection<HistoryRecords.Row> rows;
    try {
      rows = begin.apply("ReadParquet", ParquetIO.parseGenericRecords(HistoryRecords.converter("parquet:" + glob))
          .withCoder(begin.getPipeline().getSchemaRegistry().getSchemaCoder(HistoryRecords.Row.class))
          .from(glob));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    PCollectionTuple split = rows.apply("SplitRows", ParDo.of(new DoFn<HistoryRecords.Row, FeatureUpdate>() {
      @ProcessElement
      public void process(@Element HistoryRecords.Row row, MultiOutputReceiver out) {
        InferenceMetrics.counter(ROWS_READ).inc();
        if (row.getUpdate() != null) {
          out.get(UPDATES).output(row.getUpdate());
        } else {
          InferenceMetrics.counter(InferenceMetrics.DEAD_LETTERS + row.getDeadLetter().getReason()).inc();
          out.get(DEAD_LETTERS).output(row.getDeadLetter());
        }
      }
    }).withOutputTags(UPDATES, TupleTagList.of(DEAD_LETTERS)));
    return WithDeadLetters.of(UPDATES, split.get(UPDATES), DEAD_LETTERS, split.get(DEAD_LETTERS));
  }
}
