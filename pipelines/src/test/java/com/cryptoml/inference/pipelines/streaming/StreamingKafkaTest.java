package com.cryptoml.inference.pipelines.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.export.FileStoreWriter;
import com.cryptoml.inference.pipelines.kafka.KafkaTestClient;
import com.cryptoml.inference.transforms.events.EventIds;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming pipeline on a real Kafka broker (started by the project's launcher), no mocks. */
class StreamingKafkaTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Expected prediction event ids: every bar for every (model id, version). */
  static Set<String> expectedIds(List<FeatureUpdate> bars, Map<String, String> modelVersions) {
    Set<String> ids = new HashSet<>();
    for (FeatureUpdate b : bars) {
      modelVersions.forEach((model, version) -> ids.add(EventIds.prediction(model, version, b.getSymbol(), b.getExchange(), "1h",
          b.getTimestamp().getMillis())));
    }
    return ids;
  }

  static Set<String> ids(List<ConsumerRecord<String, String>> records) {
    Set<String> out = new HashSet<>();
    records.forEach(r -> out.add(json(r.value()).get("event_id").asText()));
    return out;
  }

  @Test
  void validMalformedOutOfOrderAndDuplicatedEvents(@TempDir Path work) throws Exception {
    try (StreamingHarness h = new StreamingHarness("mixed", work, "1h=momentum-v1-1h,swing-high-v1-1h");
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      List<FeatureUpdate> btc = StreamingHarness.bars("BTCUSDT", "BINANCE", 12);
      List<FeatureUpdate> eth = StreamingHarness.bars("ETHUSDT", "BINANCE", 12);
      String topic = h.topic("features.1h");
      for (int i = 0; i < 12; i += 2) { // every pair out of order: bar i+1 before bar i
        for (List<FeatureUpdate> key : List.of(btc, eth)) {
          kafka.send(topic, StreamingHarness.key(key.get(i + 1)), StreamingHarness.json(key.get(i + 1)));
          kafka.send(topic, StreamingHarness.key(key.get(i)), StreamingHarness.json(key.get(i)));
        }
        if (i == 4) {
          kafka.send(topic, "BTCUSDT:BINANCE", StreamingHarness.json(btc.get(3)));              // duplicate
          kafka.send(topic, "BTCUSDT:BINANCE", "{\"event_id\": \"broken\", ");                    // malformed
          kafka.send(topic, "BTCUSDT:BINANCE", "[\"not\", \"an\", \"object\"]");                  // not an object
          kafka.sendBytes(topic, null, StreamingHarness.json(eth.get(2)).getBytes(StandardCharsets.UTF_8)); // no key
          kafka.send(topic, "BTCUSDT:BINANCE", StreamingHarness.json(eth.get(3)));              // key disagrees
        }
      }
      Set<String> expected = expectedIds(new ArrayList<>() {{ addAll(btc); addAll(eth); }},
          Map.of("momentum-v1-1h", "1.0.0", "swing-high-v1-1h", "1.0.0"));
      List<ConsumerRecord<String, String>> predictions = kafka.readUntil(h.topic("predictions"),
          rs -> ids(rs).containsAll(expected), Duration.ofSeconds(120));
      assertEquals(expected, ids(predictions), "exactly the expected predictions");
      assertEquals(expected.size(), predictions.size(), "no duplicates in a clean run");
      for (ConsumerRecord<String, String> r : predictions) {
        JsonNode e = json(r.value());
        assertEquals(e.get("symbol").asText() + ":" + e.get("exchange").asText() + ":1h", r.key());
        assertEquals(e.get("model_id").asText(), new String(r.headers().lastHeader("model_id").value(), StandardCharsets.UTF_8));
        assertEquals(e.get("model_version").asText(), new String(r.headers().lastHeader("model_version").value(), StandardCharsets.UTF_8));
      }
      List<ConsumerRecord<String, String>> dead = kafka.readUntil(h.topic("dlq"), rs -> rs.size() >= 5, Duration.ofSeconds(60));
      Map<String, Integer> reasons = new TreeMap<>();
      dead.forEach(r -> reasons.merge(json(r.value()).get("reason").asText(), 1, Integer::sum));
      assertEquals(Map.of("duplicate_bar", 1, "malformed_json", 1, "not_an_object", 1, "missing_key", 1, "key_mismatch", 1), reasons);
      for (ConsumerRecord<String, String> r : dead) {
        assertEquals("inference_error", json(r.value()).get("event_type").asText());
        assertTrue(json(r.value()).get("source").asText().startsWith("kafka:" + h.topic("features.1h") + "/"));
      }
    }
  }

  @Test
  void promotingANewChampionSwitchesPredictionsWithoutARestart(@TempDir Path work) throws Exception {
    try (StreamingHarness h = new StreamingHarness("promote", work, "1h=swing-high-v1-1h");
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      List<FeatureUpdate> bars = StreamingHarness.bars("SOLUSDT", "OKX", 40);
      String topic = h.topic("features.1h");
      for (int i = 0; i < 10; i++) {
        kafka.send(topic, StreamingHarness.key(bars.get(i)), StreamingHarness.json(bars.get(i)));
      }
      kafka.readUntil(h.topic("predictions"), rs -> rs.size() >= 10, Duration.ofSeconds(90));

      new FileStoreWriter(h.registry, "1", null).setAlias("swing-high-v1-1h", "champion", 2);
      List<ConsumerRecord<String, String>> events = kafka.readUntil(h.topic("events"), rs -> rs.stream()
          .anyMatch(r -> r.value().contains("\"previous_model_version\":\"1.0.0\"")), Duration.ofSeconds(60));
      JsonNode changed = events.stream().map(r -> json(r.value()))
          .filter(e -> e.has("previous_model_version")).findFirst().orElseThrow();
      assertEquals("model_version_changed", changed.get("event_type").asText());
      assertEquals("1.1.0", changed.get("model_version").asText());
      assertEquals("2", changed.get("registry_version").asText());

      for (int i = 10; i < 40; i++) {
        kafka.send(topic, StreamingHarness.key(bars.get(i)), StreamingHarness.json(bars.get(i)));
      }
      List<ConsumerRecord<String, String>> predictions = kafka.readUntil(h.topic("predictions"),
          rs -> rs.size() >= 40, Duration.ofSeconds(90));
      Map<String, String> versionByBar = new HashMap<>();
      predictions.forEach(r -> versionByBar.put(json(r.value()).get("feature_timestamp").asText(), json(r.value()).get("model_version").asText()));
      assertEquals("1.0.0", versionByBar.get(bars.get(0).getTimestamp().toString().replace(".000Z", "Z")));
      assertEquals("1.1.0", versionByBar.get(bars.get(39).getTimestamp().toString().replace(".000Z", "Z")),
          "bars sent after the switch are served by the new champion");
      assertEquals(40, versionByBar.size());
    }
  }

  @Test
  void aBrokerRestartMidStreamLosesNothing(@TempDir Path work) throws Exception {
    try (StreamingHarness h = new StreamingHarness("restart", work, "1h=momentum-v1-1h");
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      List<FeatureUpdate> bars = StreamingHarness.bars("ETHUSDT", "BYBIT", 30);
      String topic = h.topic("features.1h");
      for (int i = 0; i < 15; i++) {
        kafka.send(topic, StreamingHarness.key(bars.get(i)), StreamingHarness.json(bars.get(i)));
      }
      kafka.readUntil(h.topic("predictions"), rs -> rs.size() >= 5, Duration.ofSeconds(90));
      h.broker.restart();
      for (int i = 15; i < 30; i++) {
        kafka.send(topic, StreamingHarness.key(bars.get(i)), StreamingHarness.json(bars.get(i)));
      }
      Set<String> expected = expectedIds(bars, Map.of("momentum-v1-1h", "1.0.0"));
      List<ConsumerRecord<String, String>> predictions = kafka.readUntil(h.topic("predictions"),
          rs -> ids(rs).containsAll(expected), Duration.ofSeconds(180));
      assertEquals(expected, ids(predictions), "every valid event has its prediction; duplicates carry the same id");
    }
  }
}
