package com.cryptoml.inference.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class SingleFileTest {
  /** The file holds the element as a line, replaces what was there, leaves no temporary file, and its full name comes out. */
  @Test
  void writesTheElementToExactlyThatFile(@TempDir Path dir, TestPipeline p) throws Exception {
    Path file = dir.resolve("nested/out/batch_completed.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "an earlier run's event\n");
    PCollection<String> names = p.apply(Create.of("{\"status\":\"succeeded\"}")).apply(SingleFile.to(file.toString()));
    PAssert.that(names).containsInAnyOrder(file.toAbsolutePath().toString());
    p.run().waitUntilFinish();

    assertEquals("{\"status\":\"succeeded\"}\n", Files.readString(file));
    try (Stream<Path> left = Files.list(file.getParent())) {
      assertEquals(1, left.count(), "only the file itself");
    }
  }

  /** A directory that does not exist yet is made, as TextIO would. */
  @Test
  void makesTheDirectory(@TempDir Path dir, TestPipeline p) throws Exception {
    Path file = dir.resolve("new/report.html");
    p.apply(Create.of("<html></html>")).apply(SingleFile.to(file.toString()));
    p.run().waitUntilFinish();
    assertEquals("<html></html>\n", Files.readString(file));
  }
}
