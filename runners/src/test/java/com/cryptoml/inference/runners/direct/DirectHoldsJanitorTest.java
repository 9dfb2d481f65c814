package com.cryptoml.inference.runners.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.junit.jupiter.api.Test;

/** The Direct runner's leaked watermark holds, on a small unbounded pipeline, and their removal. */
class DirectHoldsJanitorTest {

  static final class CountAs extends DoFn<Long, Long> {
    private final String name;

    CountAs(String name) {
      this.name = name;
    }

    @ProcessElement
    public void process(@Element Long n, OutputReceiver<Long> out) {
      Metrics.counter("janitor-test", name).inc();
      out.output(n);
    }
  }

  @Test
  void leakedHoldsGoAndTheWatermarkStillMoves() throws Exception {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    p.apply(GenerateSequence.from(0).withRate(500, org.joda.time.Duration.standardSeconds(1)))
        .apply("A", ParDo.of(new CountAs("elements")))
        .apply("B", ParDo.of(new CountAs("unused")))
        .apply(Window.into(FixedWindows.of(org.joda.time.Duration.millis(500))))
        .apply(org.apache.beam.sdk.transforms.Combine.globally(Count.<Long>combineFn()).withoutDefaults())
        .apply("Windows", ParDo.of(new CountAs("windows")));
    PipelineResult result = p.run();
    try {
      DirectHoldsJanitor janitor = DirectHoldsJanitor.attach(result).orElseThrow();
      Thread.sleep(4_000);
      long before = janitor.size();
      int removed = janitor.purge();
      long after = janitor.size();
      System.out.printf("holds after 4 s: %d; removed %d; left %d%n", before, removed, after);
      assertTrue(before > 200, "the runner kept " + before + " holds after 4 s of small bundles");
      // The pipeline keeps running (and leaking) while the purge walks the holds: a few come back at once.
      assertTrue(removed > 200 && after < before / 10, "removed " + removed + ", " + after + " left of " + before);

      long windows = counter(result, "windows");
      long elements = counter(result, "elements");
      Thread.sleep(3_000);
      assertTrue(counter(result, "elements") > elements, "elements still flow");
      assertTrue(counter(result, "windows") > windows, "windows still close: the watermark moves");
    } finally {
      result.cancel();
    }
  }

  @Test
  void notTheDirectRunnerNothingToDo() {
    PipelineResult other = new PipelineResult() {
      @Override public State getState() { return State.RUNNING; }
      @Override public State cancel() { return State.CANCELLED; }
      @Override public State waitUntilFinish(org.joda.time.Duration duration) { return State.RUNNING; }
      @Override public State waitUntilFinish() { return State.RUNNING; }
      @Override public org.apache.beam.sdk.metrics.MetricResults metrics() { return null; }
    };
    assertEquals(Optional.empty(), DirectHoldsJanitor.start(other, Duration.ofSeconds(1)));
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("janitor-test", name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
