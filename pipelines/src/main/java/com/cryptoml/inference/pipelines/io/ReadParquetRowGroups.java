package com.cryptoml.inference.pipelines.io;

import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

/**
 * Reads Parquet files one row group per element: the footers are listed, the row groups spread over
 * workers ({@link Reshuffle}), and each is read whole by a plain {@link DoFn}, so each row group's rows
 * leave in one bundle. ParquetIO's splittable read is the better choice on runners that split
 * dynamically (Dataflow); on the Direct runner it checkpoints every 100 records, and every later step
 * then pays its per-bundle cost for each 100 rows. Records are parsed with the same function as
 * {@code ParquetIO.parseGenericRecords}, read as Avro records with the file's own schema and the same
 * read settings as ParquetIO's parse.
 */
public final class ReadParquetRowGroups<T> extends PTransform<PBegin, PCollection<T>> {
  private final String glob;
  private final SerializableFunction<GenericRecord, T> parse;
  private final Coder<T> coder;

  private ReadParquetRowGroups(String glob, SerializableFunction<GenericRecord, T> parse, Coder<T> coder) {
    this.glob = glob;
    this.parse = parse;
    this.coder = coder;
  }

  public static <T> ReadParquetRowGroups<T> parse(String glob, SerializableFunction<GenericRecord, T> parse, Coder<T> coder) {
    return new ReadParquetRowGroups<>(glob, parse, coder);
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    return begin.apply("MatchFiles", FileIO.match().filepattern(glob))
        .apply("ListRowGroups", ParDo.of(new ListRowGroupsFn()))
        .setCoder(SerializableCoder.of(RowGroup.class))
        .apply("SpreadRowGroups", Reshuffle.viaRandomKey())
        .apply("ReadRowGroup", ParDo.of(new ReadRowGroupFn<>(parse)))
        .setCoder(coder);
  }

  /** One row group of one file: the byte range its column chunks cover, and its row count. */
  public record RowGroup(String file, int index, long start, long length, long rows) implements Serializable {}

  static final class ListRowGroupsFn extends DoFn<MatchResult.Metadata, RowGroup> {
    @ProcessElement
    public void process(@Element MatchResult.Metadata file, OutputReceiver<RowGroup> out) throws IOException {
      try (ParquetFileReader reader = ParquetFileReader.open(new BeamParquetInputFile(file))) {
        int i = 0;
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          out.output(new RowGroup(file.resourceId().toString(), i++, block.getStartingPos(),
              block.getCompressedSize(), block.getRowCount()));
        }
      }
    }
  }

  static final class ReadRowGroupFn<T> extends DoFn<RowGroup, T> {
    private final SerializableFunction<GenericRecord, T> parse;

    ReadRowGroupFn(SerializableFunction<GenericRecord, T> parse) {
      this.parse = parse;
    }

    @ProcessElement
    public void process(@Element RowGroup group, OutputReceiver<T> out) throws IOException {
      MatchResult.Metadata file = FileSystems.matchSingleFileSpec(group.file());
      // Parquet keeps the row groups whose midpoint lies in the range: exactly this one.
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
              new BeamParquetInputFile(file), new PlainParquetConfiguration())
          .disableCompatibility() // as ParquetIO's parse: its data model and logical types (decimals, ...)
          .withFileRange(group.start(), group.start() + group.length())
          .build()) {
        long rows = 0;
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          out.output(Objects.requireNonNull(parse.apply(r), "the parse function returned null"));
          rows++;
        }
        if (rows != group.rows()) {
          throw new IOException(group.file() + ": row group " + group.index() + " has " + group.rows()
              + " rows in its footer but " + rows + " were read");
        }
      }
    }
  }
}
