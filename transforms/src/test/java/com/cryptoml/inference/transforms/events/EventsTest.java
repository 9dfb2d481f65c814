package com.cryptoml.inference.transforms.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.transforms.JsonSchemas;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.DeadLetterReason;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class EventsTest {
  static PredictionEvent sample() {
    return PredictionEvent.builder()
        .setEventId(EventIds.prediction("swing-high-v1-1h", "1.0.0", "BTCUSDT", "BINANCE", "1h", 1711015200000L))
        .setTimestamp(Instant.parse("2024-03-21T10:01:00Z")).setEnvironment("production").setSubEnvironment("live")
        .setMode("live").setModelId("swing-high-v1-1h").setModelVersion("1.0.0").setSymbol("BTCUSDT").setTimeframe("1h")
        .setPrediction(1).setConfidence(0.85).setExchange("BINANCE").setModelType("swing_points")
        .setFeatureTimestamp(Instant.parse("2024-03-21T10:00:00Z")).setRegistryVersion("1")
        .setProbabilities(Map.of("long", 0.85)).setImputedFeatures(List.of("rsi_14")).setInferenceLatencyMs(0.4)
        .setBatchRequestId(null).setModelRef("swing-high-v1-1h@champion").setModelRole("champion").setScore(null).build();
  }

  @Test
  void eventIdsAreVersion5AndDependOnEveryIdentifyingField() {
    String id = EventIds.prediction("swing-high-v1-1h", "1.0.0", "BTCUSDT", "BINANCE", "1h", 1711015200000L);
    UUID uuid = UUID.fromString(id);
    assertEquals(5, uuid.version());
    assertEquals(2, uuid.variant());
    assertEquals(id, EventIds.prediction("swing-high-v1-1h", "1.0.0", "BTCUSDT", "BINANCE", "1h", 1711015200000L));
    List<String> others = List.of(
        EventIds.prediction("swing-high-v2-1h", "1.0.0", "BTCUSDT", "BINANCE", "1h", 1711015200000L),
        EventIds.prediction("swing-high-v1-1h", "1.1.0", "BTCUSDT", "BINANCE", "1h", 1711015200000L),
        EventIds.prediction("swing-high-v1-1h", "1.0.0", "ETHUSDT", "BINANCE", "1h", 1711015200000L),
        EventIds.prediction("swing-high-v1-1h", "1.0.0", "BTCUSDT", "OKX", "1h", 1711015200000L),
        EventIds.prediction("swing-high-v1-1h", "1.0.0", "BTCUSDT", "BINANCE", "4h", 1711015200000L),
        EventIds.prediction("swing-high-v1-1h", "1.0.0", "BTCUSDT", "BINANCE", "1h", 1711018800000L));
    assertEquals(6, Set.copyOf(others).size());
    others.forEach(o -> assertNotEquals(id, o));
  }

  @Test
  void predictionJsonHasTheRequestFieldsFirstInTheRequestOrder() throws Exception {
    String json = EventJson.prediction(sample());
    List<String> keys = new ArrayList<>();
    new ObjectMapper().readTree(json).fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("event_id", "timestamp", "service", "environment", "sub_environment", "mode", "event_type",
        "model_id", "model_version", "symbol", "timeframe", "prediction", "confidence"), keys.subList(0, 13));
    assertTrue(json.contains("\"service\":\"ml-inference-service\""));
    assertTrue(json.contains("\"event_type\":\"prediction\""));
    assertTrue(json.contains("\"timestamp\":\"2024-03-21T10:01:00Z\""));
    assertTrue(json.contains("\"prediction\":1,\"confidence\":0.85"));
    assertEquals(Set.of(), JsonSchemas.validate(JsonSchemas.PREDICTION, json));
  }

  @Test
  void theSchemaRejectsWhatTheContractForbids() {
    String json = EventJson.prediction(sample());
    assertTrue(!JsonSchemas.validate(JsonSchemas.PREDICTION, json.replace("\"prediction\":1", "\"prediction\":2")).isEmpty());
    assertTrue(!JsonSchemas.validate(JsonSchemas.PREDICTION, json.replace("\"confidence\":0.85", "\"confidence\":1.5")).isEmpty());
    assertTrue(!JsonSchemas.validate(JsonSchemas.PREDICTION, json.replace("\"timeframe\":\"1h\"", "\"timeframe\":\"2h\"")).isEmpty());
    assertTrue(!JsonSchemas.validate(JsonSchemas.PREDICTION, json.replace("\"model_id\":\"swing-high-v1-1h\",", "")).isEmpty());
  }

  @Test
  void inferenceErrorEventsCarryReasonAndOriginalPayload() throws Exception {
    DeadLetter d = DeadLetter.of(DeadLetterReason.MALFORMED_JSON, "bad", "kafka:features.1h/0@3", "{oops".getBytes());
    String json = EventJson.inferenceError(d, new EventJson.Envelope("production", "live", "live"), 0);
    var node = new ObjectMapper().readTree(json);
    assertEquals("inference_error", node.get("event_type").asText());
    assertEquals("malformed_json", node.get("reason").asText());
    assertEquals("{oops", node.get("original_payload").asText());
    assertEquals("kafka:features.1h/0@3", node.get("source").asText());
    assertEquals(Set.of(), JsonSchemas.validate(JsonSchemas.INFERENCE_ERROR, json));
    assertTrue(!JsonSchemas.validate(JsonSchemas.INFERENCE_ERROR, json.replace("\"reason\":\"malformed_json\",", "")).isEmpty());
    assertEquals(json.replaceAll("\"timestamp\":\"[^\"]*\"", ""),
        EventJson.inferenceError(d, new EventJson.Envelope("production", "live", "live"), 99).replaceAll("\"timestamp\":\"[^\"]*\"", ""),
        "the id is deterministic too");
  }
}
