package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.pipelines.options.BatchOptions;
import org.apache.beam.sdk.Pipeline;

/** A backfill ready to run, as a launcher prepares it: checked, then built. */
public final class Backfills {
  private Backfills() {}

  /** The preflight's result, the pipeline and its outputs. */
  public record Prepared(BatchPreflight.Checked checked, Pipeline pipeline, BatchPipeline.Outputs outputs) {
    public BatchRequest request() {
      return checked.request();
    }
  }

  public static Prepared prepare(BatchOptions options) {
    long startedAt = System.currentTimeMillis();
    BatchPreflight.Checked checked = BatchPreflight.check(options);
    Pipeline p = Pipeline.create(options);
    return new Prepared(checked, p, BatchPipeline.build(p, checked, startedAt));
  }
}
