package com.cryptoml.inference.transforms.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FeatureUpdateParserTest {
  static final String GOOD = "{\"event_id\":\"e1\",\"timestamp\":\"2024-03-21T10:00:00Z\",\"service\":\"feature-engineering-service\","
      + "\"environment\":\"production\",\"event_type\":\"feature_update\",\"symbol\":\"BTCUSDT\",\"exchange\":\"BINANCE\","
      + "\"timeframe\":\"1h\",\"feature_set_version\":\"1.0.0\",\"features\":{\"ret_1\":0.0012,\"rsi_14\":55,\"rv_24\":null}}";
  private final FeatureUpdateParser parser = new FeatureUpdateParser(4096);

  @Test
  void parsesTheContractEvent() {
    FeatureUpdateParser.Result r = parser.parse(GOOD.getBytes(StandardCharsets.UTF_8), "kafka:features.1h/0@7");
    FeatureUpdate u = r.update();
    assertNotNull(u, String.valueOf(r.deadLetter()));
    assertEquals("e1", u.getEventId());
    assertEquals(1711015200000L, u.getTimestamp().getMillis());
    assertEquals("BTCUSDT", u.getSymbol());
    assertEquals("BINANCE", u.getExchange());
    assertEquals("1h", u.getTimeframe());
    assertEquals("1.0.0", u.getFeatureSetVersion());
    assertEquals(Map.of("ret_1", 0.0012, "rsi_14", 55.0), u.getFeatures(), "null means missing");
    assertEquals("kafka:features.1h/0@7", u.getSource());
    assertEquals(GOOD, u.getPayload());
  }

  @Test
  void offsetsAndPythonNaNParse() {
    String json = GOOD.replace("2024-03-21T10:00:00Z", "2024-03-21T12:00:00+02:00").replace("0.0012", "NaN");
    FeatureUpdate u = parser.parse(json.getBytes(StandardCharsets.UTF_8), "s").update();
    assertEquals(1711015200000L, u.getTimestamp().getMillis());
    assertTrue(Double.isNaN(u.getFeatures().get("ret_1")), "rejected later as non_finite_value");
  }

  static Stream<Arguments> badPayloads() {
    return Stream.of(
        Arguments.of("malformed_json", "{\"event_id\": \"e1\", "),
        Arguments.of("malformed_json", ""),
        Arguments.of("malformed_json", GOOD + "{}"),
        Arguments.of("malformed_json", GOOD.replace("\"symbol\":\"BTCUSDT\"", "\"symbol\":\"BTCUSDT\",\"symbol\":\"ETHUSDT\"")),
        Arguments.of("not_an_object", "[1, 2, 3]"),
        Arguments.of("not_an_object", "\"feature_update\""),
        Arguments.of("not_an_object", "42"),
        Arguments.of("missing_field", GOOD.replace("\"symbol\":\"BTCUSDT\",", "")),
        Arguments.of("missing_field", GOOD.replace("\"timestamp\":\"2024-03-21T10:00:00Z\",", "")),
        Arguments.of("missing_field", "{\"event_id\":\"e\",\"timestamp\":\"2024-03-21T10:00:00Z\",\"symbol\":\"B\",\"exchange\":\"X\",\"timeframe\":\"1h\"}"),
        Arguments.of("invalid_type", GOOD.replace("\"symbol\":\"BTCUSDT\"", "\"symbol\":42")),
        Arguments.of("invalid_type", GOOD.replace("\"rsi_14\":55", "\"rsi_14\":\"55\"")),
        Arguments.of("invalid_type", GOOD.replace("\"rsi_14\":55", "\"rsi_14\":[55]")),
        Arguments.of("invalid_type", GOOD.replace("{\"ret_1\"", "[{\"ret_1\"").replace("null}}", "null}]}")),
        Arguments.of("invalid_type", GOOD.replace("\"exchange\":\"BINANCE\"", "\"exchange\":\"  \"")),
        Arguments.of("invalid_type", GOOD.replace("\"event_type\":\"feature_update\"", "\"event_type\":\"prediction\"")),
        Arguments.of("invalid_timestamp", GOOD.replace("2024-03-21T10:00:00Z", "yesterday")),
        Arguments.of("invalid_timestamp", GOOD.replace("2024-03-21T10:00:00Z", "2024-03-21 10:00:00")),
        Arguments.of("invalid_type", GOOD.replace("\"2024-03-21T10:00:00Z\"", "1711015200000")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badPayloads")
  void badPayloadsBecomeDeadLettersWithTheirReasonAndBytes(String reason, String payload) {
    FeatureUpdateParser.Result r = parser.parse(payload.getBytes(StandardCharsets.UTF_8), "kafka:features.1h/0@9");
    assertNull(r.update());
    DeadLetter d = r.deadLetter();
    assertEquals(reason, d.getReason(), d.getDetail());
    assertEquals("parse", d.getStage());
    assertEquals(payload, d.getPayload());
    assertEquals("kafka:features.1h/0@9", d.getSource());
    assertTrue(!d.getDetail().isBlank());
  }

  @Test
  void invalidUtf8IsAnEncodingError() {
    byte[] bytes = GOOD.getBytes(StandardCharsets.UTF_8);
    bytes[20] = (byte) 0xC3; // a lead byte followed by ASCII
    assertEquals("invalid_encoding", parser.parse(bytes, "s").deadLetter().getReason());
    byte[] overlong = GOOD.replace("BTCUSDT", "BTC\u00e9").getBytes(StandardCharsets.UTF_8);
    assertNotNull(parser.parse(overlong, "s").update(), "valid multi-byte UTF-8 is fine");
  }

  @Test
  void oversizePayloadIsRefusedAndTruncatedInTheDeadLetter() {
    String huge = GOOD.replace("\"features\":{", "\"padding\":\"" + "x".repeat(100_000) + "\",\"features\":{");
    DeadLetter d = new FeatureUpdateParser(64 * 1024).parse(huge.getBytes(StandardCharsets.UTF_8), "s").deadLetter();
    assertEquals("payload_too_large", d.getReason());
    assertTrue(d.getPayloadTruncated());
    assertEquals(DeadLetter.MAX_PAYLOAD_CHARS, d.getPayload().length());
    assertTrue(huge.startsWith(d.getPayload()));
  }

  @Test
  void nullPayloadIsAMissingValue() {
    assertEquals("missing_field", parser.parse(null, "s").deadLetter().getReason());
  }
}
