package com.cryptoml.inference.pipelines.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.kafka.KafkaTestClient;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input, over the real broker, between valid events: each bad record ends in the
 * dead-letter topic with its reason code and its original payload, the counts match exactly, and every
 * valid event around them still gets its predictions.
 */
class BadInputKafkaTest {
  /** One bad record: its key and bytes, and the dead letters it must produce (reason to count). */
  record Case(String name, String key, byte[] value, Map<String, Integer> expected) {
    static Case of(String name, String key, String value, String reason) {
      return new Case(name, key, value.getBytes(StandardCharsets.UTF_8), Map.of(reason, 1));
    }
  }

  static String edit(FeatureUpdate bar, UnaryOperator<ObjectNode> change) {
    ObjectNode n = (ObjectNode) StreamingKafkaTest.json(StreamingHarness.json(bar));
    return change.apply(n).toString();
  }

  static List<Case> cases(List<FeatureUpdate> older, List<FeatureUpdate> btc, FeatureUpdate next, Instant reference) {
    FeatureUpdate b = btc.get(3);
    String k = StreamingHarness.key(b);
    List<Case> cases = new ArrayList<>();
    cases.add(Case.of("malformed JSON", k, "{\"event_id\": \"broken\", \"symbol\": ", "malformed_json"));
    cases.add(Case.of("not an object", k, "[\"BTCUSDT\", 1, 2]", "not_an_object"));
    cases.add(Case.of("missing symbol", k, edit(b, n -> { n.remove("symbol"); return n; }), "missing_field"));
    cases.add(Case.of("missing features", k, edit(b, n -> { n.remove("features"); return n; }), "missing_field"));
    cases.add(Case.of("feature as text", k, edit(b, n -> { ((ObjectNode) n.get("features")).put("rsi_14", "high"); return n; }),
        "invalid_type"));
    cases.add(Case.of("timestamp as number", k, edit(b, n -> n.put("timestamp", 1710000000)), "invalid_type"));
    cases.add(Case.of("unknown timeframe", k, edit(b, n -> n.put("timeframe", "2h")), "unknown_timeframe"));
    cases.add(Case.of("timeframe not enabled", k, edit(b, n -> n.put("timeframe", "4h")), "unknown_timeframe"));
    cases.add(Case.of("unknown symbol", "DOGEUSDT:BINANCE", edit(b, n -> n.put("symbol", "DOGEUSDT")), "unknown_symbol"));
    cases.add(Case.of("unknown exchange", "BTCUSDT:KRAKEN", edit(b, n -> n.put("exchange", "KRAKEN")), "unknown_exchange"));
    cases.add(Case.of("NaN", k, StreamingHarness.json(b).replaceFirst("\"rsi_14\":[-0-9.eE]+", "\"rsi_14\":NaN"), "non_finite_value"));
    cases.add(Case.of("infinite", k, StreamingHarness.json(b).replaceFirst("\"ret_1\":[-0-9.eE]+", "\"ret_1\":1e400"), "non_finite_value"));
    cases.add(Case.of("oversize", k, edit(b, n -> n.put("comment", "x".repeat(70_000))), "payload_too_large"));
    cases.add(Case.of("far future", k, edit(b, n -> n.put("timestamp", reference.plus(org.joda.time.Duration.standardDays(1)).toString())),
        "future_timestamp"));
    cases.add(Case.of("older than max_feature_age", k,
        edit(b, n -> n.put("timestamp", reference.minus(org.joda.time.Duration.standardDays(8)).toString())), "stale_timestamp"));
    cases.add(Case.of("duplicate bar", k, StreamingHarness.json(btc.get(2)), "duplicate_bar"));
    cases.add(Case.of("features of no routed model", k, edit(b, n -> n.set("features", n.objectNode().put("foo", 1.0))),
        "missing_required_features"));
    cases.add(Case.of("empty features", k, edit(b, n -> n.set("features", n.objectNode())), "empty_features"));
    cases.add(new Case("null key", null, StreamingHarness.json(b).getBytes(StandardCharsets.UTF_8), Map.of("missing_key", 1)));
    cases.add(Case.of("key disagrees with payload", "ETHUSDT:BINANCE", StreamingHarness.json(b), "key_mismatch"));
    byte[] utf8 = StreamingHarness.json(b).getBytes(StandardCharsets.UTF_8);
    byte[] broken = new byte[utf8.length + 2];
    System.arraycopy(utf8, 0, broken, 0, 20);
    broken[20] = (byte) 0xC3; // a lead byte followed by another lead byte: not UTF-8
    broken[21] = (byte) 0xFF;
    System.arraycopy(utf8, 20, broken, 22, utf8.length - 20);
    cases.add(new Case("invalid UTF-8", k, broken, Map.of("invalid_encoding", 1)));
    // Sent last: a bar the watermark passed long ago (valid otherwise).
    cases.add(Case.of("late bar", StreamingHarness.key(older.get(0)), StreamingHarness.json(older.get(0)), "late_bar"));
    // Too few features: 7 of 9 would be imputed, more than max_imputed_fraction, for each of the two models.
    cases.add(new Case("two of nine features", k, edit(next, n -> {
      ObjectNode f = n.objectNode().put("ret_1", 0.001).put("rsi_14", 55.0);
      return (ObjectNode) n.set("features", f);
    }).getBytes(StandardCharsets.UTF_8), Map.of("incomplete_features", 2)));
    return cases;
  }

  @Test
  void everyBadRecordIsDeadLetteredWithItsReasonAndTheValidOnesArePredicted(@TempDir Path work) throws Exception {
    List<FeatureUpdate> btcAll = StreamingHarness.bars("BTCUSDT", "BINANCE", 25);
    List<FeatureUpdate> older = btcAll.subList(0, 12);
    List<FeatureUpdate> btc = btcAll.subList(12, 24);
    FeatureUpdate next = btcAll.get(24);
    List<FeatureUpdate> eth = StreamingHarness.bars("ETHUSDT", "BINANCE", 12);
    Instant reference = next.getTimestamp().plus(org.joda.time.Duration.standardHours(1));
    List<Case> cases = cases(older, btc, next, reference);
    try (StreamingHarness h = new StreamingHarness("badinput", work, "1h=momentum-v1-1h,swing-high-v1-1h",
        "--referenceClock=" + reference, "--maxFeatureAge=7d");
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      String topic = h.topic("features.1h");
      int bad = 0;
      for (int i = 0; i < 12; i++) {
        // Bars 4 and 5 of each key out of order (within the watermark's tolerance): valid, predicted.
        int j = i == 4 ? 5 : i == 5 ? 4 : i;
        kafka.send(topic, StreamingHarness.key(btc.get(j)), StreamingHarness.json(btc.get(j)));
        kafka.send(topic, StreamingHarness.key(eth.get(j)), StreamingHarness.json(eth.get(j)));
        // The bad records between them, two or three after each valid pair, the last two at the end.
        while (i >= 3 && bad < cases.size() - 2 && bad < (i - 2) * 3) {
          Case c = cases.get(bad++);
          kafka.sendBytes(topic, c.key(), c.value());
        }
      }
      while (bad < cases.size()) {
        Case c = cases.get(bad++);
        kafka.sendBytes(topic, c.key(), c.value());
      }

      Set<String> expected = StreamingKafkaTest.expectedIds(new ArrayList<>() {{ addAll(btc); addAll(eth); }},
          Map.of("momentum-v1-1h", "1.0.0", "swing-high-v1-1h", "1.0.0"));
      List<ConsumerRecord<String, String>> predictions = h.failure == null ? kafka.readUntil(h.topic("predictions"),
          rs -> StreamingKafkaTest.ids(rs).containsAll(expected), Duration.ofSeconds(180)) : List.of();
      Thread.sleep(3_000); // predictions beyond the expected would show up now
      predictions = kafka.readUntil(h.topic("predictions"), rs -> rs.size() >= expected.size(), Duration.ofSeconds(5));
      List<String> extra = predictions.stream().map(ConsumerRecord::value)
          .filter(v -> !expected.contains(StreamingKafkaTest.json(v).get("event_id").asText())).toList();
      assertEquals(List.of(), extra, "only valid events are predicted");
      assertEquals(expected, StreamingKafkaTest.ids(predictions), "every valid event is predicted");

      Map<String, Integer> expectedReasons = new TreeMap<>();
      cases.forEach(c -> c.expected().forEach((reason, n) -> expectedReasons.merge(reason, n, Integer::sum)));
      int total = expectedReasons.values().stream().mapToInt(Integer::intValue).sum();
      List<ConsumerRecord<String, String>> dead = kafka.readUntil(h.topic("dlq"), rs -> rs.size() >= total, Duration.ofSeconds(90));
      Thread.sleep(3_000); // anything beyond the expected would show up now
      dead = kafka.readUntil(h.topic("dlq"), rs -> rs.size() >= total, Duration.ofSeconds(5));
      Map<String, Integer> reasons = new TreeMap<>();
      Map<String, JsonNode> byReason = new HashMap<>();
      for (ConsumerRecord<String, String> r : dead) {
        JsonNode e = StreamingKafkaTest.json(r.value());
        reasons.merge(e.get("reason").asText(), 1, Integer::sum);
        byReason.put(e.get("reason").asText(), e);
        assertEquals("inference_error", e.get("event_type").asText());
        assertTrue(e.get("source").asText().startsWith("kafka:" + topic + "/"), e.toString());
        assertFalse(e.get("original_payload").asText().isEmpty(), "the original payload is kept: " + e);
      }
      assertEquals(expectedReasons, reasons, "one dead letter per bad record, with its reason");

      JsonNode oversize = byReason.get("payload_too_large");
      assertTrue(oversize.get("payload_truncated").asBoolean());
      assertEquals(DeadLetter.MAX_PAYLOAD_CHARS, oversize.get("original_payload").asText().length());
      assertEquals(new String(cases.stream().filter(c -> c.name().equals("malformed JSON")).findFirst().orElseThrow().value(),
          StandardCharsets.UTF_8), byReason.get("malformed_json").get("original_payload").asText(), "original bytes, verbatim");
      assertTrue(byReason.get("invalid_encoding").get("original_payload").asText().contains("\"event_type\""));
      assertTrue(h.failure == null, "the pipeline never stopped");
    }
  }
}
