package com.cryptoml.inference.models.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.TestModels;
import com.cryptoml.inference.models.export.MlModelWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelMetadataTest {

  private static ModelMetadata sample() {
    return TestModels.metadata("swing-high-v1-1h", 3, 2)
        .modelType(ModelType.SWING_POINTS)
        .signatureDefKey("predict")
        .histogram("f0", new Histogram(new double[] {-1, 0, 1}, new double[] {0.4, 0.6}))
        .build();
  }

  @Test
  void roundTripsThroughTheMlModelMapping() {
    ModelMetadata original = sample();
    ModelMetadata parsed = ModelMetadata.parse(MlModelWriter.toNode(original), "swing-high-v1-1h", "1");
    assertEquals(original.modelId(), parsed.modelId());
    assertEquals(ModelType.SWING_POINTS, parsed.modelType());
    assertEquals(Timeframe.H1, parsed.timeframe());
    assertEquals(List.of("f0", "f1", "f2"), parsed.features());
    assertEquals(2, parsed.lookback());
    assertEquals(6, parsed.inputWidth());
    assertEquals(4, parsed.horizonBars());
    assertEquals("predict", parsed.signatureDefKey().orElseThrow());
    assertEquals(original.output(), parsed.output());
    assertEquals(original.histograms(), parsed.histograms());
    assertEquals(original.normalization(), parsed.normalization());
  }

  static Stream<Arguments> invalidFields() {
    return Stream.of(
        Arguments.of("model_id", (Consumer<ObjectNode>) n -> n.remove("model_id")),
        Arguments.of("model_type", (Consumer<ObjectNode>) n -> n.put("model_type", "astrology")),
        Arguments.of("timeframe", (Consumer<ObjectNode>) n -> n.put("timeframe", "2h")),
        Arguments.of("features", (Consumer<ObjectNode>) n -> n.putArray("features")),
        Arguments.of("lookback", (Consumer<ObjectNode>) n -> n.put("lookback", 0)),
        Arguments.of("horizon_bars", (Consumer<ObjectNode>) n -> n.put("horizon_bars", "soon")),
        Arguments.of("normalization.f1", (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("normalization")).remove("f1")),
        Arguments.of("normalization.f0", (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("normalization").get("f0")).put("std", 0)),
        Arguments.of("output.kind", (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("output")).put("kind", "regression")),
        Arguments.of("output.labels", (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("output")).remove("labels")),
        Arguments.of("output", (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("output")).putArray("labels").add(5).add(0)),
        Arguments.of("training_histograms.f0", (Consumer<ObjectNode>) n ->
            ((ObjectNode) n.get("training_histograms").get("f0")).putArray("fractions").add(0.3).add(0.3)),
        Arguments.of("training_histograms.nope", (Consumer<ObjectNode>) n ->
            ((ObjectNode) n.get("training_histograms")).set("nope", n.get("training_histograms").get("f0"))),
        Arguments.of("metadata", (Consumer<ObjectNode>) n -> n.putArray("features").add("f0").add("f0").add("f2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFields")
  void invalidMetadataIsRefusedNamingModelVersionAndField(String field, Consumer<ObjectNode> corrupt) {
    ObjectNode node = MlModelWriter.toNode(sample());
    corrupt.accept(node);
    ModelRefusedException e = assertThrows(ModelRefusedException.class,
        () -> ModelMetadata.parse(node, "swing-high-v1-1h", "7"));
    assertEquals(ModelRefusedException.Reason.INVALID_METADATA, e.reason());
    assertTrue(e.getMessage().contains("swing-high-v1-1h"), e.getMessage());
    assertTrue(e.getMessage().contains("version 7"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
  }

  @Test
  void missingMetadataIsRefused() {
    ModelRefusedException e = assertThrows(ModelRefusedException.class, () -> ModelMetadata.parse(null, "m", "1"));
    assertTrue(e.getMessage().contains("'metadata'"));
  }
}
