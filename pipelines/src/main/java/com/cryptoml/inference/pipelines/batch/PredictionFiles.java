package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.pipelines.io.AvroRows;
import com.cryptoml.inference.pipelines.io.ChannelOutputFile;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.transforms.Convert;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * A backfill's predictions as Parquet under {@code dir/timeframe=TF/}, one column per field of the
 * prediction event, through {@code FileIO.writeDynamic()}; out come (timeframe, file name) pairs.
 * Records travel to the writer as Avro binary and become records only in it. A runner that writes
 * its own way replaces this step (the runners module's Direct-runner adaptations do).
 */
public final class PredictionFiles extends PTransform<PCollection<PredictionEvent>, PCollection<KV<String, String>>> {
  /**
   * Columns whose values are nearly all distinct (an id, doubles): a dictionary would hash each value
   * until it fills and then fall back to plain encoding anyway, so they are written plain.
   */
  public static final List<String> PLAIN_COLUMNS = List.of("event_id", "confidence", "probabilities.key_value.value");
  /** A random id's minimum and maximum help no reader skip anything. */
  public static final List<String> NO_STATISTICS_COLUMNS = List.of("event_id");

  private final String dir;

  public PredictionFiles(String dir) {
    this.dir = dir;
  }

  public String dir() {
    return dir;
  }

  /** The Avro schema of the prediction records, as JSON (Avro 1.11 schemas are not serializable). */
  public static String avroSchema(org.apache.beam.sdk.Pipeline p) {
    try {
      return AvroUtils.toAvroSchema(p.getSchemaRegistry().getSchema(PredictionEvent.class), "PredictionEvent", "com.cryptoml.inference")
          .toString();
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Prediction events to (timeframe, Avro binary), in steps named with {@code prefix}. */
  public static PCollection<KV<String, byte[]>> avroRecords(PCollection<PredictionEvent> predictions, String avroJson, String prefix) {
    return predictions.apply(prefix + "ToRows", Convert.toRows())
        .apply(prefix + "ToAvroBytes", MapElements.via(new ToAvroBytes(avroJson)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()));
  }

  /**
   * Where and how files are named: {@code dir/timeframe=TF/predictions-00003.parquet}. No
   * {@code -of-N}: with runner-determined sharding a shard that receives nothing writes no file, so
   * a count in the name could promise files that do not exist.
   */
  public static <T> FileIO.Write<String, T> files(FileIO.Write<String, T> write, String dir) {
    return write.withDestinationCoder(StringUtf8Coder.of()).to(dir).withNaming(PredictionFiles::naming);
  }

  static FileIO.Write.FileNaming naming(String timeframe) {
    return (window, pane, numShards, shardIndex, compression) ->
        String.format("timeframe=%s/predictions-%05d.parquet", timeframe, shardIndex);
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<PredictionEvent> predictions) {
    String avroJson = avroSchema(predictions.getPipeline());
    return avroRecords(predictions, avroJson, "")
        .apply("WritePredictions", files(FileIO.<String, KV<String, byte[]>>writeDynamic().by(KV::getKey)
            .via(Contextful.fn((KV<String, byte[]> r) -> r.getValue()), new RecordSink(avroJson)), dir))
        .getPerDestinationOutputFilenames();
  }

  /** Beam rows to (timeframe, Avro binary of the prediction record). */
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

  /** Parquet (Snappy, {@link #PLAIN_COLUMNS}, {@link #NO_STATISTICS_COLUMNS}) from Avro-binary records. */
  public abstract static class AvroBinarySink<T> implements FileIO.Sink<T> {
    private final String avroJson;
    private transient ParquetWriter<GenericRecord> parquet;
    private transient GenericDatumReader<GenericRecord> reader;
    private transient BinaryDecoder decoder;
    private transient GenericRecord reuse;

    protected AvroBinarySink(String avroJson) {
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

    /** Writes one Avro-binary record. */
    protected void writeRecord(byte[] record) throws IOException {
      decoder = DecoderFactory.get().binaryDecoder(record, decoder);
      reuse = reader.read(reuse, decoder); // the Parquet writer is done with a record once write returns
      parquet.write(reuse);
    }

    @Override
    public void flush() throws IOException {
      parquet.close(); // writes the footer; the channel stays open for FileIO to close
    }
  }

  /** One record per element. */
  static final class RecordSink extends AvroBinarySink<byte[]> {
    RecordSink(String avroJson) {
      super(avroJson);
    }

    @Override
    public void write(byte[] record) throws IOException {
      writeRecord(record);
    }
  }
}
