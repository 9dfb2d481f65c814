package com.cryptoml.inference.runners;

import com.cryptoml.inference.runners.direct.DirectRunnerAdaptations;
import java.io.IOException;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs a built pipeline the way its runner needs: on the Direct runner the adaptations replace their
 * stock steps ({@link DirectRunnerAdaptations}), {@code run()} returns at once so the caller can
 * start monitoring beside the pipeline, and a stream gets its holds janitor. On other runners the
 * pipeline runs as built.
 */
public final class Launch {
  private Launch() {}

  /** A running pipeline and what runs beside it. */
  public record Running(PipelineResult result, @Nullable AutoCloseable companion, PipelineOptions options) implements AutoCloseable {
    @Override
    public void close() {
      if (companion != null) {
        try {
          companion.close();
        } catch (Exception e) {
          // nothing to do: the pipeline is ending
        }
      }
    }

    /**
     * Stops the pipeline for a JVM that runs on: what runs beside it, then the pipeline itself (one that
     * has already finished stays so), then the readers the Direct runner leaves open after a cancel.
     */
    public void stop() {
      close();
      try {
        result.cancel();
      } catch (IOException | RuntimeException e) {
        // already finished
      }
      DirectRunnerAdaptations.closeReaders(options);
    }
  }

  public static Running run(Pipeline p, boolean streaming) {
    if (DirectRunnerAdaptations.isDirect(p.getOptions())) {
      DirectRunnerAdaptations.apply(p);
      p.getOptions().as(DirectOptions.class).setBlockOnRun(false);
    }
    PipelineResult result = p.run();
    return new Running(result, DirectRunnerAdaptations.afterRun(result, p.getOptions(), streaming), p.getOptions());
  }
}
