package com.cryptoml.inference.transforms.coders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.transforms.values.FeatureUpdate;
import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.testing.CrashingRunner;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Beam's schema coder in all but its serialised form. */
@ExtendWith(TestPipelineExtension.class)
class CompactSchemaCoderTest {
  static FeatureUpdate update() {
    return FeatureUpdate.builder().setEventId("e1").setSymbol("BTCUSDT").setExchange("BINANCE").setTimeframe("1h")
        .setTimestamp(Instant.parse("2024-03-01T10:00:00Z")).setFeatures(Map.of("ret_1", 0.01, "rsi_14", 55.0))
        .setSource("kafka:features.1h/0@7").setPayload("{}").build();
  }

  @Test
  void encodesAsBeamsSchemaCoderAndSerialisesAsItsClass() throws Exception {
    SchemaCoder<FeatureUpdate> beams = SchemaRegistry.createDefault().getSchemaCoder(FeatureUpdate.class);
    CompactSchemaCoder<FeatureUpdate> compact = CompactSchemaCoder.of(FeatureUpdate.class);
    assertEquals(beams.getSchema(), compact.getSchema());
    assertArrayEquals(CoderUtils.encodeToByteArray(beams, update()), CoderUtils.encodeToByteArray(compact, update()));
    assertEquals(update(), CoderUtils.decodeFromByteArray(compact, CoderUtils.encodeToByteArray(beams, update())));

    int beamsBytes = SerializableUtils.serializeToByteArray(beams).length;
    int compactBytes = SerializableUtils.serializeToByteArray(compact).length;
    assertTrue(compactBytes * 5 < beamsBytes, "serialised: " + compactBytes + " bytes against Beam's " + beamsBytes);
    Object back = SerializableUtils.deserializeFromByteArray(SerializableUtils.serializeToByteArray(compact), "coder");
    assertSame(compact, back, "one instance per class and JVM");
    SerializableUtils.ensureSerializable(compact);
    assertThrows(IllegalArgumentException.class, () -> CompactSchemaCoder.of(String.class));
  }

  @Test
  void onlyTheDirectRunnerGetsIt() {
    PipelineOptions direct = PipelineOptionsFactory.create();
    direct.setRunner(DirectRunner.class);
    assertSame(CompactSchemaCoder.of(FeatureUpdate.class), CompactSchemaCoder.of(Pipeline.create(direct), FeatureUpdate.class));
    PipelineOptions other = PipelineOptionsFactory.create();
    other.setRunner(CrashingRunner.class); // any runner of several JVMs: the schema travels with Beam's coder
    SchemaCoder<FeatureUpdate> coder = CompactSchemaCoder.of(Pipeline.create(other), FeatureUpdate.class);
    assertEquals(SchemaCoder.class, coder.getClass());
  }

  @Test
  void keepsThePCollectionSchemaAware(TestPipeline p) throws Exception {
    PCollection<FeatureUpdate> updates = p.apply(Create.of(update()).withCoder(CompactSchemaCoder.of(FeatureUpdate.class)));
    assertTrue(updates.hasSchema());
    assertEquals(SchemaRegistry.createDefault().getSchemaCoder(FeatureUpdate.class).getSchema().getFieldNames(),
        updates.getSchema().getFieldNames());
    PAssert.that(updates).containsInAnyOrder(update());
    p.run().waitUntilFinish();
  }
}
