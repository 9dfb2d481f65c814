package com.cryptoml.inference.testdata;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One feature update: a bar's features for a symbol, exchange and timeframe; NaN = missing. */
record FeatureRow(String symbol, String exchange, Timeframe timeframe, long closeMillis, double[] values) {
  static final String SERVICE = "feature-engineering-service";
  static final String ENVIRONMENT = "production";
  static final String FEATURE_SET_VERSION = "1.0.0";

  /** Stable id: the same bar always has the same event id. */
  String eventId() {
    return UUID.nameUUIDFromBytes((symbol + "|" + exchange + "|" + timeframe.code() + "|" + closeMillis)
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The feature update event of the design notes, as JSON. */
  ObjectNode toJson(List<String> names) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("event_id", eventId());
    e.put("timestamp", Instant.ofEpochMilli(closeMillis).toString());
    e.put("service", SERVICE);
    e.put("environment", ENVIRONMENT);
    e.put("event_type", "feature_update");
    e.put("symbol", symbol);
    e.put("exchange", exchange);
    e.put("timeframe", timeframe.code());
    e.put("feature_set_version", FEATURE_SET_VERSION);
    ObjectNode f = e.putObject("features");
    for (int i = 0; i < names.size(); i++) {
      if (Double.isNaN(values[i])) {
        f.putNull(names.get(i));
      } else {
        f.put(names.get(i), values[i]);
      }
    }
    return e;
  }
}
