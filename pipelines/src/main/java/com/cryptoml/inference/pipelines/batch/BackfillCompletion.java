package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.pipelines.io.EventSinks;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The backfill's last step: rows in range, predictions per model version and dead letters per reason
 * are counted ({@link CountByKey}), the written files named, all folded into one sorted map ({@link
 * BatchCounts}) and turned into the {@code batch_completed} event, published to the request's sink.
 */
final class BackfillCompletion extends PTransform<PCollectionTuple, PCollection<String>> {
  static final TupleTag<FeatureUpdate> ROWS = new TupleTag<>("rows") {};
  static final TupleTag<PredictionEvent> PREDICTIONS = new TupleTag<>("predictions") {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};
  static final TupleTag<KV<String, String>> PREDICTION_FILES = new TupleTag<>("predictionFiles") {};
  static final TupleTag<String> DEAD_LETTER_FILES = new TupleTag<>("deadLetterFiles") {};
  static final TupleTag<String> REPORT_FILES = new TupleTag<>("reportFiles") {};

  private final BatchRequest request;
  private final EventJson.Envelope envelope;
  private final ActiveModels active;
  private final long startedAt;

  BackfillCompletion(BatchRequest request, EventJson.Envelope envelope, ActiveModels active, long startedAt) {
    this.request = request;
    this.envelope = envelope;
    this.active = active;
    this.startedAt = startedAt;
  }

  @Override
  public PCollection<String> expand(PCollectionTuple in) {
    long start = request.start().toEpochMilli();
    PCollection<KV<String, Long>> counts = PCollectionList
        .of(in.get(ROWS).apply("CountRowsInRange", CountByKey.of((FeatureUpdate u) ->
            u.getTimestamp().getMillis() >= start ? "in|" + u.getTimeframe() : null)))
        .and(in.get(PREDICTIONS).apply("CountPredictions", CountByKey.of((PredictionEvent e) ->
            "pred|" + e.getTimeframe() + "|" + e.getModelId() + "@" + e.getModelVersion())))
        .and(in.get(DEAD_LETTERS).apply("CountDeadLetters", CountByKey.of((DeadLetter d) ->
            "dead|" + (d.getTimeframe() == null ? "-" : d.getTimeframe()) + "|" + d.getReason())))
        .apply("Counts", Flatten.pCollections());
    PCollection<KV<String, Long>> files = PCollectionList
        .of(in.get(PREDICTION_FILES).apply("PredictionFileNames", Values.create())
            .apply("PredictionFileKeys", MapElements.into(TypeDescriptors.strings()).via((String f) -> "file|predictions|" + f)))
        .and(in.get(DEAD_LETTER_FILES).apply("DeadLetterFileKeys", MapElements.into(TypeDescriptors.strings())
            .via((String f) -> "file|dead_letters|" + f)))
        .and(in.get(REPORT_FILES).apply("ReportFileKey", MapElements.into(TypeDescriptors.strings()).via((String f) -> "file|report|" + f)))
        .apply("FileKeys", Flatten.pCollections())
        .apply("AsZeroCounts", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
            .via((String f) -> KV.of(f, 0L)));
    BatchRequest req = request;
    EventJson.Envelope env = envelope;
    ActiveModels models = active;
    long started = startedAt;
    PCollection<String> completion = PCollectionList.of(counts).and(files)
        .apply("CountsAndFiles", Flatten.pCollections())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        // Never empty (the report's file name is always there), so no default value to compute.
        .apply("Summarise", Combine.globally(new BatchCounts()).withoutDefaults())
        .apply("CompletionEvent", ParDo.of(new DoFn<TreeMap<String, Long>, String>() {
          @ProcessElement
          public void process(@Element TreeMap<String, Long> summary, OutputReceiver<String> o) {
            o.output(CompletionEvent.build(req, env, models, "succeeded", summary, started, System.currentTimeMillis(), null));
          }
        }));
    completion.apply("PublishCompletion", EventSinks.single(request.completionSink()));
    return completion;
  }
}
