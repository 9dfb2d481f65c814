package com.cryptoml.inference.runners.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One event as one readable line: predictions as time, key, model@version (role), direction and
 * confidence; dead letters as time, key, reason and detail; other events as their type and their
 * identifying fields.
 */
final class EventLine {
  private static final List<String> SKIP = List.of("event_id", "timestamp", "service", "environment", "sub_environment",
      "mode", "event_type");

  private EventLine() {}

  static String of(JsonNode e) {
    String type = e.path("event_type").asText("?");
    String time = e.path("timestamp").asText("");
    return switch (type) {
      case "prediction" -> String.format("%s  %-26s %-26s %-7s %+d %-7s conf %.3f  bar %s%s", time, key(e),
          e.path("model_id").asText() + "@" + e.path("model_version").asText(), e.path("model_role").asText("-"),
          e.path("prediction").asInt(), direction(e.path("prediction").asInt()), e.path("confidence").asDouble(),
          e.path("feature_timestamp").asText(), e.has("score") ? "  score " + e.get("score").asText() : "");
      case "inference_error" -> String.format("%s  %-26s DEAD LETTER %s (%s): %s", time, key(e), e.path("reason").asText(),
          e.path("stage").asText(), e.path("detail").asText());
      default -> time + "  " + type + " " + rest(e);
    };
  }

  private static String key(JsonNode e) {
    return e.path("symbol").asText("-") + ":" + e.path("exchange").asText("-") + ":" + e.path("timeframe").asText("-");
  }

  private static String direction(int prediction) {
    return prediction > 0 ? "long" : prediction < 0 ? "short" : "neutral";
  }

  /** The event's own scalar fields, {@code name=value}, in its order, up to a line's worth. */
  private static String rest(JsonNode e) {
    StringBuilder b = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (SKIP.contains(f.getKey()) || !f.getValue().isValueNode()) {
        continue;
      }
      if (b.length() > 160) {
        b.append(" ...");
        break;
      }
      b.append(b.length() == 0 ? "" : " ").append(f.getKey()).append('=').append(f.getValue().asText());
    }
    return b.toString();
  }
}
