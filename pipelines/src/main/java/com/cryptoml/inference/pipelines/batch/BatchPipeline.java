package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.io.AvroRows;
import com.cryptoml.inference.pipelines.io.ChannelOutputFile;
import com.cryptoml.inference.pipelines.io.EventSinks;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.pipelines.report.BackfillReport;
import com.cryptoml.inference.transforms.InferenceResult;
import com.cryptoml.inference.transforms.InferenceTransform;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.grouping.PackPerBundle;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.quality.Quality;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.ModelInput;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.WritableByteChannel;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The bounded edge of the one pipeline: Parquet history in, the shared {@link InferenceTransform},
 * predictions out as Parquet partitioned by timeframe, dead letters as JSON lines, and a
 * {@code batch_completed} event once everything is written.
 *
 * <p>Bars before {@code start} are read as far back as the models' lookback and forward fill reach,
 * so the first requested bars see the same history live inference would have; only bars in
 * [start, end) are predicted, written and counted.
 */
public final class BatchPipeline {
  private BatchPipeline() {}

  /** What the bounded pipeline produces. */
  public record Outputs(PCollection<PredictionEvent> predictions, PCollection<DeadLetter> deadLetters,
      PCollection<String> completion, Quality.Result quality, PCollection<String> report) {}

  public static Outputs build(Pipeline p, BatchRequest request, InferenceConfig config, ActiveModels active, long startedAt) {
    long start = request.start().toEpochMilli();
    long end = request.end().toEpochMilli();
    Map<Timeframe, Long> warmUp = warmUp(config, active);

    WithDeadLetters<FeatureUpdate> history = p.apply("ReadHistory",
        new ReadFeatureHistory(request.input(), p.getOptions().as(BatchOptions.class).getHistoryReader()));
    BatchRequest req = request;
    PCollection<FeatureUpdate> updates = history.output()
        .apply("FilterToRequest", Filter.by((FeatureUpdate u) -> inRequest(u, req, warmUp)))
        .apply("EventTimeIsBarClose", WithTimestamps.of((FeatureUpdate u) -> u.getTimestamp()));

    ModelsView models = ModelsView.of(p.apply("ModelsResolvedAtStart", Create.of(active)).apply(View.asSingleton()));
    InferenceResult result = updates.apply("Inference", InferenceTransform.batch(config, models, request.requestId()));

    PCollection<PredictionEvent> predictions = result.output()
        .apply("PredictionsInRange", Filter.by((PredictionEvent e) -> e.getFeatureTimestamp().getMillis() >= start));
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
        .apply("Quality", Quality.batch(config.monitoring(), models));

    String out = request.output().endsWith("/") ? request.output() : request.output() + "/";
    List<String> timeframes = request.timeframes().stream().sorted().map(Timeframe::code).toList();
    BackfillReport.Header header = new BackfillReport.Header(request.requestId(), request.start().toString(), request.end().toString(),
        timeframes, new TreeMap<>(active.versionLabels()), config.monitoring().driftPsiThreshold(), config.monitoring().driftPeriodBars());
    PCollection<String> report = PCollectionTuple.of(BackfillReport.PREDICTIONS, predictions)
        .and(BackfillReport.ACCURACY, quality.accuracy()).and(BackfillReport.DRIFT, quality.featureDrift())
        .apply("Report", new BackfillReport(header, out));
    WriteFilesResult<String> predictionFiles = writePredictions(p, predictions, out + "predictions");
    EventJson.Envelope envelope = new EventJson.Envelope(config.environment(), config.subEnvironment(), config.mode());
    WriteFilesResult<Void> deadLetterFiles = dead
        .apply("DeadLettersAsEvents", MapElements.into(TypeDescriptors.strings())
            .via((DeadLetter d) -> EventJson.inferenceError(d, envelope, System.currentTimeMillis())))
        .apply("WriteDeadLetters", TextIO.write().to(out + "dead-letters/dead-letters").withSuffix(".jsonl")
            .withNumShards(1).withOutputFilenames());

    PCollection<KV<String, Long>> counts = PCollectionList
        .of(updates.apply("CountRowsInRange", CountPerBundle.of((FeatureUpdate u) ->
            u.getTimestamp().getMillis() >= start ? "in|" + u.getTimeframe() : null)))
        .and(predictions.apply("CountPredictions", CountPerBundle.of((PredictionEvent e) ->
            "pred|" + e.getTimeframe() + "|" + e.getModelId() + "@" + e.getModelVersion())))
        .and(dead.apply("CountDeadLetters", CountPerBundle.of((DeadLetter d) ->
            "dead|" + (d.getTimeframe() == null ? "-" : d.getTimeframe()) + "|" + d.getReason())))
        .apply("Counts", Flatten.pCollections());
    PCollection<KV<String, Long>> files = PCollectionList
        .of(predictionFiles.getPerDestinationOutputFilenames().apply("PredictionFileNames", Values.create())
            .apply("PredictionFileKeys", MapElements.into(TypeDescriptors.strings()).via((String f) -> "file|predictions|" + f)))
        .and(deadLetterFiles.getPerDestinationOutputFilenames().apply("DeadLetterFileNames", Values.create())
            .apply("DeadLetterFileKeys", MapElements.into(TypeDescriptors.strings()).via((String f) -> "file|dead_letters|" + f)))
        .and(report.apply("ReportFileKey", MapElements.into(TypeDescriptors.strings()).via((String f) -> "file|report|" + f)))
        .apply("FileKeys", Flatten.pCollections())
        .apply("AsZeroCounts", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
            .via((String f) -> KV.of(f, 0L)));
    PCollection<String> completion = PCollectionList.of(counts).and(files)
        .apply("CountsAndFiles", Flatten.pCollections())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        // Never empty (the report's file name is always there), so no default: a default is one more
        // step waiting on a side input, which the Direct runner retries all through the backfill.
        .apply("Summarise", Combine.globally(new BatchCounts()).withoutDefaults())
        .apply("CompletionEvent", ParDo.of(new DoFn<TreeMap<String, Long>, String>() {
          @ProcessElement
          public void process(@Element TreeMap<String, Long> summary, OutputReceiver<String> o) {
            o.output(CompletionEvent.build(req, envelope, active, "succeeded", summary, startedAt, System.currentTimeMillis(), null));
          }
        }));
    completion.apply("PublishCompletion", EventSinks.single(request.completionSink()));
    return new Outputs(predictions, dead, completion, quality, report);
  }

  /** Predictions as Parquet under {@code dir/timeframe=TF/}, columns = the prediction event's fields. */
  static WriteFilesResult<String> writePredictions(Pipeline p, PCollection<PredictionEvent> predictions, String dir) {
    org.apache.beam.sdk.schemas.Schema beamSchema;
    try {
      beamSchema = p.getSchemaRegistry().getSchema(PredictionEvent.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    Schema avro = AvroUtils.toAvroSchema(beamSchema, "PredictionEvent", "com.cryptoml.inference");
    String avroJson = avro.toString();
    // Records travel to the writer as Avro binary, a bundle's records of a timeframe in one pack, and
    // become GenericRecords only in it: runners copy elements through their coder (the Direct runner
    // copies a GroupByKey's buffered values for each bundle, and it shards every file write through
    // one), and a pack copies as one byte array.
    PCollection<KV<String, byte[]>> packs = predictions
        .apply("ToRows", org.apache.beam.sdk.schemas.transforms.Convert.toRows())
        .apply("ToAvroBytes", MapElements.via(new ToAvroBytes(avroJson)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
        .apply("PackPerTimeframe", PackPerBundle.create());
    return packs.apply("WritePredictions", FileIO.<String, KV<String, byte[]>>writeDynamic()
        .by(KV::getKey)
        .withDestinationCoder(StringUtf8Coder.of())
        .via(Contextful.fn((KV<String, byte[]> pack) -> pack.getValue()), new PackedParquetSink(avroJson))
        .to(dir)
        .withNaming(tf -> FileIO.Write.defaultNaming("timeframe=" + tf + "/predictions", ".parquet")));
  }

  /**
   * Beam rows to (timeframe, Avro binary of the prediction record). The schema travels as JSON: Avro
   * 1.11 schemas are not serializable.
   */
  static final class ToAvroBytes extends SimpleFunction<Row, KV<String, byte[]>> {
    private final String avroJson;
    private transient Schema schema;
    private transient GenericDatumWriter<GenericRecord> writer;
    private transient BinaryEncoder encoder;
    private transient boolean direct;

    ToAvroBytes(String avroJson) {
      this.avroJson = avroJson;
    }

    @Override
    public KV<String, byte[]> apply(Row row) {
      if (schema == null) {
        schema = new Schema.Parser().parse(avroJson);
        writer = new GenericDatumWriter<>(schema);
        direct = AvroRows.direct(row.getSchema());
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
      try {
        writer.write(AvroRows.toRecord(row, schema, direct), encoder);
        encoder.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return KV.of(row.getString("timeframe"), bytes.toByteArray());
    }
  }

  /**
   * Prediction columns whose values are nearly all distinct (an id, doubles): a dictionary would hash
   * each value until it fills and then falls back to plain encoding anyway, so they are written plain
   * from the start (13% of the Parquet writer's samples went to those hash tables).
   */
  static final List<String> PLAIN_COLUMNS = List.of("event_id", "confidence", "probabilities.key_value.value");
  /** A random id's minimum and maximum help no reader skip anything. */
  static final List<String> NO_STATISTICS_COLUMNS = List.of("event_id");

  /**
   * Packs of Avro-binary records ({@link ToAvroBytes}, {@link PackPerBundle}), written as Parquet
   * (Snappy, as ParquetIO's sink) with {@link #PLAIN_COLUMNS} and {@link #NO_STATISTICS_COLUMNS}.
   */
  static final class PackedParquetSink implements FileIO.Sink<byte[]> {
    private final String avroJson;
    private transient ParquetWriter<GenericRecord> parquet;
    private transient GenericDatumReader<GenericRecord> reader;
    private transient BinaryDecoder decoder;
    private transient GenericRecord reuse;

    PackedParquetSink(String avroJson) {
      this.avroJson = avroJson;
    }

    @Override
    public void open(WritableByteChannel channel) throws IOException {
      Schema schema = new Schema.Parser().parse(avroJson);
      AvroParquetWriter.Builder<GenericRecord> builder = AvroParquetWriter.<GenericRecord>builder(new ChannelOutputFile(channel))
          .withSchema(schema).withDataModel(GenericData.get()).withCompressionCodec(CompressionCodecName.SNAPPY)
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
      PLAIN_COLUMNS.forEach(c -> builder.withDictionaryEncoding(c, false));
      NO_STATISTICS_COLUMNS.forEach(c -> builder.withStatisticsEnabled(c, false));
      parquet = builder.build();
      reader = new GenericDatumReader<>(schema);
    }

    @Override
    public void write(byte[] pack) throws IOException {
      PackPerBundle.unpack(pack, ByteArrayCoder.of(), record -> {
        decoder = DecoderFactory.get().binaryDecoder(record, decoder);
        try {
          reuse = reader.read(reuse, decoder); // the Parquet writer is done with a record once write returns
          parquet.write(reuse);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }

    @Override
    public void flush() throws IOException {
      parquet.close(); // writes the footer; the channel stays open for FileIO to close
    }
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
