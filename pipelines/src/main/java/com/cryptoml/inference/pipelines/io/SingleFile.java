package com.cryptoml.inference.pipelines.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes a PCollection's one string, as a line, to one file through Beam's {@link FileSystems} (local
 * or gs://), as a temporary file renamed into place, and outputs the file's full name. A later element
 * replaces the file: for a report or an event that is produced once.
 *
 * <p>Why not {@code TextIO.write().withoutSharding()}: its temporary-file gathering waits for a side
 * input from a step fed at the pipeline's start, which the Direct runner retries for as long as the
 * backfill runs. Here the write happens when the element arrives
 * (docs/decisions/single-file-outputs.md).
 */
public final class SingleFile extends PTransform<PCollection<String>, PCollection<String>> {
  private final String path;

  private SingleFile(String path) {
    this.path = path;
  }

  /** @param path the file, as {@link FileSystems} resolves it (a local path or gs://bucket/object) */
  public static SingleFile to(String path) {
    return new SingleFile(path);
  }

  @Override
  public PCollection<String> expand(PCollection<String> content) {
    return content.apply("Write", ParDo.of(new WriteFn(path)));
  }

  static final class WriteFn extends DoFn<String, String> {
    private final String path;

    WriteFn(String path) {
      this.path = path;
    }

    @ProcessElement
    public void process(@Element String content, OutputReceiver<String> out) throws IOException {
      ResourceId target = FileSystems.matchNewResource(path, false);
      ResourceId temp = target.getCurrentDirectory()
          .resolve("." + target.getFilename() + "-" + UUID.randomUUID() + ".tmp", StandardResolveOptions.RESOLVE_FILE);
      try (OutputStream os = Channels.newOutputStream(FileSystems.create(temp, "text/plain"))) {
        os.write((content + "\n").getBytes(StandardCharsets.UTF_8)); // as TextIO writes a line
      }
      FileSystems.rename(List.of(temp), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
      out.output(target.toString());
    }
  }
}
