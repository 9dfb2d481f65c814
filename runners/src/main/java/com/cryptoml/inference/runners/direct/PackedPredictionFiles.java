package com.cryptoml.inference.runners.direct;

import com.cryptoml.inference.pipelines.batch.PredictionFiles;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The Direct runner's {@link PredictionFiles}: a bundle's Avro records of a timeframe travel to the
 * writer as one pack ({@link PackPerBundle}) and are unpacked in the sink. The Direct runner shards
 * every file write through a grouping whose buffered values it copies, value by value, for each
 * bundle; a pack copies as one byte array. Same files, same columns and settings. See
 * docs/decisions/direct-runner-adaptations.md.
 */
final class PackedPredictionFiles extends PTransform<PCollection<PredictionEvent>, PCollection<KV<String, String>>> {
  private final String dir;

  PackedPredictionFiles(PredictionFiles stock) {
    this.dir = stock.dir();
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<PredictionEvent> predictions) {
    String avroJson = PredictionFiles.avroSchema(predictions.getPipeline());
    return PredictionFiles.avroRecords(predictions, avroJson, "Packed")
        .apply("PackPerTimeframe", PackPerBundle.create())
        .apply("WritePredictionPacks", PredictionFiles.files(FileIO.<String, KV<String, byte[]>>writeDynamic().by(KV::getKey)
            .via(Contextful.fn((KV<String, byte[]> pack) -> pack.getValue()), new PackSink(avroJson)), dir))
        .getPerDestinationOutputFilenames();
  }

  /** Packs of Avro-binary records, each written as a row. */
  static final class PackSink extends PredictionFiles.AvroBinarySink<byte[]> {
    PackSink(String avroJson) {
      super(avroJson);
    }

    @Override
    public void write(byte[] pack) {
      PackPerBundle.unpack(pack, ByteArrayCoder.of(), record -> {
        try {
          writeRecord(record);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
