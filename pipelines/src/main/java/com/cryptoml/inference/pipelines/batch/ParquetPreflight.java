package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.pipelines.io.BeamFiles;
import com.cryptoml.inference.pipelines.io.BeamParquetInputFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Checks the input of a backfill before the pipeline starts: the glob matches files, each is a
 * readable Parquet file, and each has the required columns. The first failure is reported naming the
 * file (and the column). Also counts the rows, for the progress line's ETA.
 */
public final class ParquetPreflight {
  private ParquetPreflight() {}

  /** What the input holds. */
  public record Summary(List<String> files, long rows) {}

  public static Summary check(String glob) {
    List<MatchResult.Metadata> files;
    try {
      BeamFiles.match(glob); // registers file systems (gs://) when no pipeline did yet
      files = FileSystems.match(List.of(glob), EmptyMatchTreatment.DISALLOW).get(0).metadata();
    } catch (IOException e) {
      throw new IllegalArgumentException("input " + glob + " matches no files: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("input " + glob + " matches no files");
    }
    long rows = 0;
    List<String> names = new ArrayList<>();
    for (MatchResult.Metadata file : files) {
      String name = file.resourceId().toString();
      ParquetMetadata footer;
      try (ParquetFileReader reader = ParquetFileReader.open(new BeamParquetInputFile(file))) {
        footer = reader.getFooter();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("input file " + name + " is not a readable Parquet file: " + e.getMessage(), e);
      }
      MessageType schema = footer.getFileMetaData().getSchema();
      for (String column : HistoryColumns.REQUIRED) {
        if (!schema.containsField(column)) {
          throw new IllegalArgumentException("input file " + name + " has no column '" + column + "' (required: "
              + HistoryColumns.REQUIRED + ")");
        }
      }
      if (!schema.containsField(HistoryColumns.FEATURES_MAP) && featureColumns(schema) == 0) {
        throw new IllegalArgumentException("input file " + name + " has neither a 'features' map column nor numeric feature columns");
      }
      rows += footer.getBlocks().stream().mapToLong(b -> b.getRowCount()).sum();
      names.add(name);
    }
    return new Summary(names, rows);
  }

  private static int featureColumns(MessageType schema) {
    int n = 0;
    for (Type field : schema.getFields()) {
      if (!HistoryColumns.METADATA.contains(field.getName()) && field.isPrimitive()
          && (field.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.DOUBLE
          || field.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT)) {
        n++;
      }
    }
    return n;
  }
}
