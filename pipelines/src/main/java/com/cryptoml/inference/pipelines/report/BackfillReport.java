package com.cryptoml.inference.pipelines.report;

import com.cryptoml.inference.pipelines.batch.CountByKey;
import com.cryptoml.inference.pipelines.io.SingleFile;
import com.cryptoml.inference.transforms.quality.FeatureDriftResult;
import com.cryptoml.inference.transforms.quality.ModelAccuracy;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Writes {@code report.html} next to a backfill's output once its predictions, accuracy and drift are
 * complete (they reach the writer as side inputs). Returns the written file's name.
 */
public final class BackfillReport extends PTransform<PCollectionTuple, PCollection<String>> {
  public static final TupleTag<PredictionEvent> PREDICTIONS = new TupleTag<>("predictions") {};
  public static final TupleTag<ModelAccuracy> ACCURACY = new TupleTag<>("accuracy") {};
  public static final TupleTag<FeatureDriftResult> DRIFT = new TupleTag<>("drift") {};
  /** Upper bounds of the latency buckets, in milliseconds. */
  static final double[] LATENCY_BOUNDS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

  /**
   * What the report says about its request.
   *
   * @param driftPeriodBars how often drift windows start, in bars (the report samples them, see {@link #MAX_DRIFT_WINDOWS})
   */
  public record Header(String requestId, String start, String end, List<String> timeframes, Map<String, String> models,
      double driftThreshold, int driftPeriodBars) implements java.io.Serializable {}

  /**
   * Drift windows per model version and feature the report keeps, evenly spaced: a year of 1m bars
   * has tens of thousands of windows, more than a chart can show, and gathering them all in one place
   * costs the Direct runner time that grows with their square.
   */
  static final int MAX_DRIFT_WINDOWS = 400;

  /**
   * Whether the report keeps a drift window of a request spanning {@code spanMillis}: every k-th period
   * so that at most MAX_DRIFT_WINDOWS remain.
   */
  static boolean sampled(FeatureDriftResult r, int driftPeriodBars, long spanMillis) {
    long period = driftPeriodBars * com.cryptoml.inference.models.metadata.Timeframe.of(r.getTimeframe()).barLength().toMillis();
    long stride = Math.max(1, (spanMillis / period + MAX_DRIFT_WINDOWS - 1) / MAX_DRIFT_WINDOWS);
    return Math.floorMod(Math.floorDiv(r.getWindowEnd().getMillis(), period), stride) == 0;
  }

  private final Header header;
  private final String outputPrefix;

  /** @param outputPrefix the report is written to {@code outputPrefix + "report.html"} */
  public BackfillReport(Header header, String outputPrefix) {
    this.header = header;
    this.outputPrefix = outputPrefix;
  }

  static int latencyBucket(double ms) {
    for (int i = 0; i < LATENCY_BOUNDS.length; i++) {
      if (ms <= LATENCY_BOUNDS[i]) {
        return i;
      }
    }
    return LATENCY_BOUNDS.length;
  }

  static String latencyLabel(int bucket) {
    return bucket < LATENCY_BOUNDS.length ? "<=" + (long) LATENCY_BOUNDS[bucket] + " ms" : ">" + (long) LATENCY_BOUNDS[LATENCY_BOUNDS.length - 1] + " ms";
  }

  @Override
  public PCollection<String> expand(PCollectionTuple in) {
    PCollection<PredictionEvent> predictions = in.get(PREDICTIONS).apply("GlobalPredictions", Window.into(new GlobalWindows()));
    PCollectionView<List<KV<String, Long>>> mix = predictions
        .apply("CountMix", CountByKey.of((PredictionEvent e) -> e.getModelId() + "@" + e.getModelVersion() + "|"
            + e.getFeatureTimestamp().toString().substring(0, 10) + "|" + e.getPrediction()))
        .apply("MixView", View.asList());
    PCollectionView<List<KV<String, Long>>> latency = predictions
        .apply("CountLatency", CountByKey.of((PredictionEvent e) -> String.valueOf(latencyBucket(e.getInferenceLatencyMs()))))
        .apply("LatencyView", View.asList());
    PCollectionView<List<ModelAccuracy>> accuracy = in.get(ACCURACY)
        .apply("GlobalAccuracy", Window.into(new GlobalWindows())).apply("AccuracyView", View.asList());
    int periodBars = header.driftPeriodBars();
    long span = java.time.Instant.parse(header.end()).toEpochMilli() - java.time.Instant.parse(header.start()).toEpochMilli();
    PCollectionView<List<FeatureDriftResult>> drift = in.get(DRIFT)
        .apply("SampleDriftWindows", Filter.by((FeatureDriftResult r) -> sampled(r, periodBars, span)))
        .apply("GlobalDrift", Window.into(new GlobalWindows())).apply("DriftView", View.asList());

    Header h = header;
    PCollection<String> html = in.getPipeline().apply("Once", Create.of("report"))
        .apply("Render", ParDo.of(new DoFn<String, String>() {
          @ProcessElement
          public void process(ProcessContext c) {
            c.output(ReportHtml.render(data(h, c.sideInput(mix), c.sideInput(latency), c.sideInput(accuracy), c.sideInput(drift))));
          }
        }).withSideInputs(mix, latency, accuracy, drift));
    return html.apply("WriteReport", SingleFile.to(outputPrefix + "report.html"));
  }

  static ReportData data(Header h, List<KV<String, Long>> mixCounts, List<KV<String, Long>> latencyCounts,
      List<ModelAccuracy> accuracy, List<FeatureDriftResult> drift) {
    Map<String, long[]> byModelDay = new TreeMap<>();
    long predictions = 0;
    for (KV<String, Long> kv : mixCounts) {
      String[] k = kv.getKey().split("\\|");
      long[] c = byModelDay.computeIfAbsent(k[0] + "|" + k[1], x -> new long[3]);
      c[Integer.parseInt(k[2]) + 1] += kv.getValue();
      predictions += kv.getValue();
    }
    List<ReportData.MixRow> mix = new ArrayList<>();
    byModelDay.forEach((k, c) -> {
      String[] md = k.split("\\|");
      mix.add(new ReportData.MixRow(md[0], md[1], c[0], c[1], c[2]));
    });
    Map<Integer, Long> buckets = new HashMap<>();
    latencyCounts.forEach(kv -> buckets.put(Integer.parseInt(kv.getKey()), kv.getValue()));
    List<ReportData.LatencyBucket> latency = new ArrayList<>();
    for (int i = 0; i <= LATENCY_BOUNDS.length; i++) {
      latency.add(new ReportData.LatencyBucket(latencyLabel(i), buckets.getOrDefault(i, 0L)));
    }
    List<ModelAccuracy> sortedAccuracy = new ArrayList<>(accuracy);
    sortedAccuracy.sort(Comparator.comparing(ModelAccuracy::getModelId).thenComparing(ModelAccuracy::getModelVersion));
    List<FeatureDriftResult> sortedDrift = new ArrayList<>(drift);
    sortedDrift.sort(Comparator.comparing(FeatureDriftResult::getModelId).thenComparing(FeatureDriftResult::getFeature)
        .thenComparing(FeatureDriftResult::getWindowEnd));
    return new ReportData(h.requestId(), h.start(), h.end(), h.timeframes(), h.models(), predictions, mix, sortedAccuracy,
        sortedDrift, h.driftThreshold(), latency, Instant.now().atOffset(ZoneOffset.UTC).toString());
  }
}
