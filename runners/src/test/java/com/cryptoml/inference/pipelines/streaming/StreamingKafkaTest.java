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
  void everyPredictionNamesItsRoleAndChallengersGoToTheirOwnTopic(@TempDir Path work) throws Exception {
    try (StreamingHarness h = new StreamingHarness("roles", work,
        "1h=swing-high-v1-1h,swing-high-v1-1h@challenger,momentum-v1-1h:1", "--challengerTopic=roles.challengers");
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      List<FeatureUpdate> bars = StreamingHarness.bars("BTCUSDT", "BINANCE", 8);
      for (FeatureUpdate b : bars) {
        kafka.send(h.topic("features.1h"), StreamingHarness.key(b), StreamingHarness.json(b));
      }
      List<ConsumerRecord<String, String>> main = kafka.readUntil(h.topic("predictions"), rs -> rs.size() >= 16, Duration.ofSeconds(120));
      List<ConsumerRecord<String, String>> challengers = kafka.readUntil(h.topic("challengers"), rs -> rs.size() >= 8, Duration.ofSeconds(60));
      Map<String, Integer> mainRoles = new TreeMap<>();
      for (ConsumerRecord<String, String> r : main) {
        JsonNode e = json(r.value());
        String ref = e.get("model_ref").asText();
        mainRoles.merge(e.get("model_role").asText() + " " + ref + " " + e.get("model_version").asText(), 1, Integer::sum);
        assertEquals(e.get("model_role").asText(), new String(r.headers().lastHeader("model_role").value(), StandardCharsets.UTF_8));
      }
      assertEquals(Map.of("champion swing-high-v1-1h@champion 1.0.0", 8, "pinned momentum-v1-1h:1 1.0.0", 8), mainRoles,
          "the predictions topic holds champions and pinned versions only");
      for (ConsumerRecord<String, String> r : challengers) {
        JsonNode e = json(r.value());
        assertEquals("challenger", e.get("model_role").asText());
        assertEquals("swing-high-v1-1h@challenger", e.get("model_ref").asText());
        assertEquals("1.1.0", e.get("model_version").asText());
      }
      assertEquals(8, ids(challengers).size());
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
      h.assertNotFailed();
      assertEquals(List.of(), missingBars(bars, predictions), "bars without a prediction; dead letters: "
          + kafka.readUntil(h.topic("dlq"), rs -> false, Duration.ofSeconds(5)).stream().map(r -> r.value()).toList());
      assertEquals(expected, ids(predictions), "every valid event has its prediction; duplicates carry the same id");
    }
  }

  /** Indices of the bars that have no momentum-v1-1h 1.0.0 prediction among {@code predictions}. */
  static List<Integer> missingBars(List<FeatureUpdate> bars, List<ConsumerRecord<String, String>> predictions) {
    Set<String> seen = ids(predictions);
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < bars.size(); i++) {
      if (!seen.containsAll(expectedIds(bars.subList(i, i + 1), Map.of("momentum-v1-1h", "1.0.0")))) {
        missing.add(i);
      }
    }
    return missing;
  }

  /**
   * A pipeline stopped hard and started again resumes from the offsets the first one committed: the
   * second run starts with {@code startOffset=latest}, so without committed offsets it would skip the
   * bars sent while nothing ran. Records read again after the restart give identical event ids.
   */
  @Test
  void aRestartedPipelineResumesFromCommittedOffsets(@TempDir Path work) throws Exception {
    try (StreamingHarness h = new StreamingHarness("resume", work, "1h=momentum-v1-1h");
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      List<FeatureUpdate> bars = StreamingHarness.bars("SOLUSDT", "BYBIT", 30);
      String topic = h.topic("features.1h");
      for (int i = 0; i < 10; i++) {
        kafka.send(topic, StreamingHarness.key(bars.get(i)), StreamingHarness.json(bars.get(i)));
      }
      Set<String> firstTen = expectedIds(bars.subList(0, 10), Map.of("momentum-v1-1h", "1.0.0"));
      kafka.readUntil(h.topic("predictions"), rs -> ids(rs).containsAll(firstTen), Duration.ofSeconds(90));
      // The source commits when Beam finalizes its checkpoint, after the records' bundle is committed.
      long committed = 0;
      for (long until = System.currentTimeMillis() + 30_000; committed < 10 && System.currentTimeMillis() < until; Thread.sleep(500)) {
        committed = committedRecords(h, topic);
      }
      assertEquals(10, committed, "the group committed the offsets of the first ten records");
      h.stop();
      for (int i = 10; i < 20; i++) { // sent while nothing runs
        kafka.send(topic, StreamingHarness.key(bars.get(i)), StreamingHarness.json(bars.get(i)));
      }
      h.options.setStartOffset(com.cryptoml.inference.pipelines.options.StreamOptions.StartOffset.LATEST);
      h.start();
      Thread.sleep(5_000);
      for (int i = 20; i < 30; i++) {
        kafka.send(topic, StreamingHarness.key(bars.get(i)), StreamingHarness.json(bars.get(i)));
      }
      Set<String> expected = expectedIds(bars, Map.of("momentum-v1-1h", "1.0.0"));
      List<ConsumerRecord<String, String>> predictions = kafka.readUntil(h.topic("predictions"),
          rs -> ids(rs).containsAll(expected), Duration.ofSeconds(120));
      assertEquals(List.of(), missingBars(bars, predictions), "no gap across the restart (bars without a prediction)");
      assertEquals(expected, ids(predictions));
      Map<String, String> byId = new HashMap<>();
      for (ConsumerRecord<String, String> r : predictions) {
        JsonNode e = json(r.value());
        String again = byId.put(e.get("event_id").asText(), e.get("prediction").asText() + e.get("confidence").asText());
        assertTrue(again == null || again.equals(e.get("prediction").asText() + e.get("confidence").asText()),
            "a prediction made twice says the same: " + e);
      }
    }
  }

  /**
   * The registry answers errors (a corrupt version record) during polls: the current version keeps
   * serving, a {@code registry_unavailable} event and the failure counter say so, and polling backs off
   * (with a 2 s refresh, 20 s of errors would be ten polls without it).
   */
  @Test
  void anUnreadableRegistryKeepsTheCurrentVersionServingAndBacksOff(@TempDir Path work) throws Exception {
    try (StreamingHarness h = new StreamingHarness("registry", work, "1h=momentum-v1-1h");
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      List<FeatureUpdate> bars = StreamingHarness.bars("BTCUSDT", "OKX", 20);
      String topic = h.topic("features.1h");
      for (int i = 0; i < 10; i++) {
        kafka.send(topic, StreamingHarness.key(bars.get(i)), StreamingHarness.json(bars.get(i)));
      }
      kafka.readUntil(h.topic("predictions"), rs -> rs.size() >= 10, Duration.ofSeconds(90));
      Path record = h.registry.resolve("mlruns/models/momentum-v1-1h/version-1/meta.yaml");
      String good = java.nio.file.Files.readString(record);
      java.nio.file.Files.writeString(record, "{{{ this is not YAML");
      long brokenAt = System.currentTimeMillis();
      List<ConsumerRecord<String, String>> events = kafka.readUntil(h.topic("events"),
          rs -> rs.stream().anyMatch(r -> r.value().contains("\"registry_unavailable\"")), Duration.ofSeconds(30));
      for (int i = 10; i < 20; i++) {
        kafka.send(topic, StreamingHarness.key(bars.get(i)), StreamingHarness.json(bars.get(i)));
      }
      Set<String> expected = expectedIds(bars, Map.of("momentum-v1-1h", "1.0.0"));
      List<ConsumerRecord<String, String>> predictions = kafka.readUntil(h.topic("predictions"),
          rs -> ids(rs).containsAll(expected), Duration.ofSeconds(90));
      assertEquals(expected, ids(predictions), "1.0.0 kept serving while the registry failed");
      Thread.sleep(Math.max(0, brokenAt + 20_000 - System.currentTimeMillis()));
      events = kafka.readUntil(h.topic("events"), rs -> false, Duration.ofSeconds(2));
      long unavailable = events.stream().filter(r -> json(r.value()).get("event_type").asText().equals("registry_unavailable")).count();
      assertEquals(1, unavailable, "reported once, not on every failed poll");
      long failedPolls = h.counter("registry_refresh_failures");
      assertTrue(failedPolls >= 2 && failedPolls <= 5, "backed-off polls in 20 s (2, 4, 8 s apart): " + failedPolls);
      java.nio.file.Files.writeString(record, good);
    }
  }

  /** Records the consumer group has committed on a topic (sum of committed offsets over partitions). */
  static long committedRecords(StreamingHarness h, String topic) throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.put("bootstrap.servers", h.broker.bootstrapServers());
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
      return admin.listConsumerGroupOffsets(h.options.getConsumerGroup()).partitionsToOffsetAndMetadata()
          .get(10, java.util.concurrent.TimeUnit.SECONDS).entrySet().stream()
          .filter(e -> e.getKey().topic().equals(topic)).mapToLong(e -> e.getValue().offset()).sum();
    }
  }

  /**
   * Monitoring events follow the stream: prediction mix per drift window, feature drift (the threshold
   * is set so low that every window drifts), and cumulative accuracy whose numbers are recomputed here
   * from the bars and the published predictions. A prediction resolves as soon as the last bar of its
   * horizon arrives, so of 40 bars momentum-v1-1h (horizon 4) has outcomes for bars 0..35.
   */
  @Test
  void monitoringEventsFollowTheStream(@TempDir Path work) throws Exception {
    try (StreamingHarness h = new StreamingHarness("monitor", work, "1h=momentum-v1-1h", "--driftPsiThreshold=0.000001");
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      List<FeatureUpdate> bars = StreamingHarness.bars("BTCUSDT", "BINANCE", 40);
      String topic = h.topic("features.1h");
      for (FeatureUpdate bar : bars) {
        kafka.send(topic, StreamingHarness.key(bar), StreamingHarness.json(bar));
      }
      List<ConsumerRecord<String, String>> predictions = kafka.readUntil(h.topic("predictions"), rs -> rs.size() >= 40,
          Duration.ofSeconds(90));
      Map<String, Integer> predictionByBar = new HashMap<>();
      predictions.forEach(r -> predictionByBar.put(json(r.value()).get("feature_timestamp").asText(),
          json(r.value()).get("prediction").asInt()));
      int correct = 0;
      for (int i = 0; i <= 35; i++) {
        double sum = 0;
        for (int k = 1; k <= 4; k++) {
          sum += bars.get(i + k).getFeatures().get("ret_1");
        }
        double band = 0.5 * bars.get(i).getFeatures().get("rv_24") * 2;
        int realized = sum > band ? 1 : sum < -band ? -1 : 0;
        correct += predictionByBar.get(bars.get(i).getTimestamp().toString().replace(".000Z", "Z")) == realized ? 1 : 0;
      }
      double expectedAccuracy = Math.round(correct / 36.0 * 1e6) / 1e6;

      List<ConsumerRecord<String, String>> events = kafka.readUntil(h.topic("metrics"), rs -> rs.stream()
          .map(r -> json(r.value())).anyMatch(e -> e.get("event_type").asText().equals("model_accuracy")
              && e.get("outcomes").asLong() == 36), Duration.ofSeconds(120));
      Map<String, List<JsonNode>> byType = new HashMap<>();
      events.forEach(r -> byType.computeIfAbsent(json(r.value()).get("event_type").asText(), t -> new java.util.ArrayList<>())
          .add(json(r.value())));
      JsonNode accuracy = byType.getOrDefault("model_accuracy", List.of()).stream().filter(e -> e.get("outcomes").asLong() == 36)
          .findFirst().orElseThrow(() -> new AssertionError("no model_accuracy event with 36 outcomes: " + byType.get("model_accuracy")));
      assertEquals("momentum-v1-1h", accuracy.get("model_id").asText());
      assertEquals(expectedAccuracy, accuracy.get("accuracy").asDouble(), 1e-9, "accuracy over bars 0..35");
      long calibrated = 0;
      for (JsonNode b : accuracy.get("calibration")) {
        calibrated += b.get("count").asLong();
      }
      assertEquals(36, calibrated, "every outcome in one confidence bucket");

      JsonNode fullWindow = byType.get("prediction_mix").stream().filter(e -> e.get("predictions").asLong() == 8).findFirst()
          .orElseThrow(() -> new AssertionError("no full 8-bar window: " + byType.get("prediction_mix")));
      JsonNode counts = fullWindow.get("counts");
      assertEquals(8, counts.get("short").asLong() + counts.get("neutral").asLong() + counts.get("long").asLong());
      assertEquals(4, fullWindow.get("last_period_predictions").asLong());

      List<JsonNode> drift = byType.get("feature_drift");
      assertTrue(drift != null && drift.stream().allMatch(e -> e.get("psi").asDouble() > e.get("threshold").asDouble()
          && e.get("samples").asLong() >= 4), "feature_drift events: " + drift);
      assertEquals(Set.of("ret_1", "ret_4", "ret_12", "rv_24", "rsi_14", "vol_z_24"),
          drift.stream().map(e -> e.get("feature").asText()).collect(java.util.stream.Collectors.toSet()));

      // Every metric the pipeline reported is in the catalog (so /metrics and the README describe it).
      Set<String> names = h.metricNames();
      assertTrue(names.contains("feature_psi_milli_momentum-v1-1h:rsi_14") && names.contains("outcomes_resolved_momentum-v1-1h")
          && names.contains("predictions_tf_1h") && names.contains("event_delay_ms"), names.toString());
      for (String name : names) {
        assertTrue(com.cryptoml.inference.transforms.metrics.MetricCatalog.of(name).isPresent(), "not in the catalog: " + name);
      }
    }
  }
}
