package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.report.BackfillReport;
import com.cryptoml.inference.transforms.InferenceResult;
import com.cryptoml.inference.transforms.InferenceTransform;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.quality.Quality;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The bounded edge of the one pipeline. Its steps, in order:
 *
 * <ol>
 *   <li>{@code ReadHistory}, {@code FilterToRequest}, {@code EventTimeIsBarClose}: Parquet history
 *       of the requested symbols, exchanges and timeframes, from as far before {@code start} as the
 *       models' lookback and forward fill reach, so the first requested bars see the history live
 *       inference would have;
 *   <li>{@code Inference}: the shared {@link InferenceTransform} with the models the preflight
 *       resolved ({@link BatchPreflight}) as a side input;
 *   <li>{@code PredictionsInRange}, {@code DeadLettersInRange}: only bars in [start, end) count;
 *   <li>{@code Quality}, {@code Report}: drift, outcomes and accuracy over the range, as an HTML report;
 *   <li>{@code PredictionFiles}, {@code WriteDeadLetters}: Parquet per timeframe, JSON lines;
 *   <li>{@code Completion}: counts and file names in one {@code batch_completed} event ({@link BackfillCompletion}).
 * </ol>
 */
public final class BatchPipeline {
  /** Predictions of requested bars so far (the backfill's progress line). */
  public static final String PREDICTIONS_IN_RANGE = "backfill_predictions_in_range";

  private BatchPipeline() {}

  /** What the bounded pipeline produces. */
  public record Outputs(PCollection<PredictionEvent> predictions, PCollection<DeadLetter> deadLetters,
      PCollection<String> completion, Quality.Result quality, PCollection<String> report) {}

  public static Outputs build(Pipeline p, BatchPreflight.Checked checked, long startedAt) {
    BatchRequest request = checked.request();
    InferenceConfig config = checked.config();
    ActiveModels active = checked.models();
    long start = request.start().toEpochMilli();
    Map<Timeframe, Long> warmUp = warmUp(config, active);

    WithDeadLetters<FeatureUpdate> history = p.apply("ReadHistory",
        new ReadFeatureHistory(request.input()));
    PCollection<FeatureUpdate> updates = history.output()
        .apply("FilterToRequest", Filter.by((FeatureUpdate u) -> inRequest(u, request, warmUp)))
        .apply("EventTimeIsBarClose", WithTimestamps.of((FeatureUpdate u) -> u.getTimestamp()));

    ModelsView models = ModelsView.of(p.apply("ModelsResolvedAtStart", Create.of(active)).apply(View.asSingleton()));
    InferenceResult result = updates.apply("Inference", InferenceTransform.batch(config, models, request.requestId()));

    PCollection<PredictionEvent> predictions = result.output()
        .apply("PredictionsInRange", Filter.by((PredictionEvent e) -> inRange(e, start)));
    PCollection<DeadLetter> dead = PCollectionList.of(history.deadLetters())
        .and(result.deadLetters().apply("DeadLettersInRange",
            Filter.by((DeadLetter d) -> d.getFeatureTimestamp() == null || d.getFeatureTimestamp().getMillis() >= start)))
        .apply("AllDeadLetters", Flatten.pCollections());

    // Quality over the requested range: drift of the bars in range, outcomes of the predictions in range
    // (bars before start still give returns and volatility to the first predictions).
    PCollection<ModelInput> inputsInRange = result.modelInputs()
        .apply("ModelInputsInRange", Filter.by((ModelInput in) -> in.barMillis() >= start));
    Quality.Result quality = PCollectionTuple.of(InferenceResult.VALID_UPDATES, result.validUpdates())
        .and(InferenceResult.MODEL_INPUTS, inputsInRange).and(InferenceResult.PREDICTIONS, predictions)
        .apply("Quality", Quality.batch(config, models))
        .windowsEndingWithin(new org.joda.time.Instant(start), new org.joda.time.Instant(request.end().toEpochMilli()));

    String out = request.output().endsWith("/") ? request.output() : request.output() + "/";
    List<String> timeframes = request.timeframes().stream().sorted().map(Timeframe::code).toList();
    BackfillReport.Header header = new BackfillReport.Header(request.requestId(), request.start().toString(), request.end().toString(),
        timeframes, new TreeMap<>(active.versionLabels()), config.options().getDriftPsiThreshold(), config.options().getDriftPeriodBars());
    PCollection<String> report = PCollectionTuple.of(BackfillReport.PREDICTIONS, predictions)
        .and(BackfillReport.ACCURACY, quality.accuracy()).and(BackfillReport.DRIFT, quality.featureDrift())
        .apply("Report", new BackfillReport(header, out));

    PCollection<KV<String, String>> predictionFiles = predictions.apply("PredictionFiles", new PredictionFiles(out + "predictions"));
    EventJson.Envelope envelope = new EventJson.Envelope(config.options().getEnvironment(), config.options().getSubEnvironment(),
        config.mode().code());
    PCollection<String> deadLetterFiles = dead
        .apply("DeadLettersAsEvents", MapElements.into(TypeDescriptors.strings())
            .via((DeadLetter d) -> EventJson.inferenceError(d, envelope, System.currentTimeMillis())))
        .apply("WriteDeadLetters", TextIO.write().to(out + "dead-letters/dead-letters").withSuffix(".jsonl")
            .withNumShards(1).withOutputFilenames())
        .getPerDestinationOutputFilenames().apply("DeadLetterFileNames", org.apache.beam.sdk.transforms.Values.create());

    PCollection<String> completion = PCollectionTuple.of(BackfillCompletion.ROWS, updates).and(BackfillCompletion.PREDICTIONS, predictions)
        .and(BackfillCompletion.DEAD_LETTERS, dead).and(BackfillCompletion.PREDICTION_FILES, predictionFiles)
        .and(BackfillCompletion.DEAD_LETTER_FILES, deadLetterFiles).and(BackfillCompletion.REPORT_FILES, report)
        .apply("Completion", new BackfillCompletion(request, envelope, active, startedAt));
    return new Outputs(predictions, dead, completion, quality, report);
  }

  /** Whether a prediction is of a requested bar; counted, so progress ends at the number the completion event reports. */
  static boolean inRange(PredictionEvent e, long start) {
    boolean in = e.getFeatureTimestamp().getMillis() >= start;
    InferenceMetrics.counter(PREDICTIONS_IN_RANGE).inc(in ? 1 : 0);
    return in;
  }

  /** Per timeframe, how far before {@code start} history is needed. */
  static Map<Timeframe, Long> warmUp(InferenceConfig config, ActiveModels active) {
    Map<Timeframe, Long> out = new EnumMap<>(Timeframe.class);
    for (Timeframe tf : Timeframe.values()) {
      int lookback = 1;
      for (ActiveModels.Entry e : active.routedTo(tf)) {
        lookback = Math.max(lookback, e.metadata().lookback());
      }
      out.put(tf, (lookback - 1L + config.forwardFillBars(tf)) * tf.barLength().toMillis());
    }
    return out;
  }

  static boolean inRequest(FeatureUpdate u, BatchRequest r, Map<Timeframe, Long> warmUp) {
    Timeframe tf = Timeframe.fromCode(u.getTimeframe()).orElse(null);
    if (tf == null) {
      return true; // let validation dead-letter it, rather than drop it silently
    }
    long t = u.getTimestamp().getMillis();
    return r.timeframes().contains(tf) && r.symbols().contains(u.getSymbol()) && r.exchanges().contains(u.getExchange())
        && t >= r.start().toEpochMilli() - warmUp.get(tf) && t < r.end().toEpochMilli();
  }
}
