package com.cryptoml.inference.transforms.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cryptoml.inference.transforms.JsonSchemas;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.RawEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ParseFeatureUpdatesTest {

  @Test
  void eventTimeIsTheBarCloseTimeAndBadInputIsDeadLettered(TestPipeline p) {
    String good = FeatureUpdateParserTest.GOOD;
    List<RawEvent> raw = List.of(
        RawEvent.of(good.getBytes(StandardCharsets.UTF_8), "kafka:features.1h/0@1"),
        RawEvent.of("not json".getBytes(StandardCharsets.UTF_8), "kafka:features.1h/0@2"),
        RawEvent.of(good.replace("\"exchange\":\"BINANCE\",", "").getBytes(StandardCharsets.UTF_8), "kafka:features.1h/0@3"));
    WithDeadLetters<FeatureUpdate> out = p.apply(Create.of(raw)).apply(ParseFeatureUpdates.withMaxPayloadBytes(4096));
    PAssert.that(out.output().apply(ParDo.of(new WithTimestamp()))).containsInAnyOrder("e1@2024-03-21T10:00:00.000Z");
    PAssert.that(out.deadLetters().apply(MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.getReason() + " " + d.getSource())))
        .containsInAnyOrder("malformed_json kafka:features.1h/0@2", "missing_field kafka:features.1h/0@3");
    p.run().waitUntilFinish();
  }

  /** Event id and element timestamp. */
  static final class WithTimestamp extends DoFn<FeatureUpdate, String> {
    @ProcessElement
    public void process(@Element FeatureUpdate u, @Timestamp Instant ts, OutputReceiver<String> o) {
      o.output(u.getEventId() + "@" + ts);
    }
  }

  @Test
  void everyCommittedSampleEventParsesAndMatchesTheFeatureUpdateSchema() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "testdata", "data", "events", "feature-updates.jsonl"));
    FeatureUpdateParser parser = new FeatureUpdateParser(64 * 1024);
    for (String line : lines) {
      assertEquals(Set.of(), JsonSchemas.validate(JsonSchemas.FEATURE_UPDATE, line), line);
      FeatureUpdateParser.Result r = parser.parse(line.getBytes(StandardCharsets.UTF_8), "file");
      assertEquals(null, r.deadLetter(), line);
    }
    int expected = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(Path.of("..", "testdata", "data", "MANIFEST.json").toFile()).get("sample_events").asInt();
    assertEquals(expected, lines.size());
  }
}
