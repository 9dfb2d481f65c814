package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.RegistryException;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A backfill request: which bars (symbols, exchanges, timeframes, [start, end)), which models (each
 * a reference: name, name@alias, name:version; resolved once at start), where the history is and
 * where the results and the completion event go. Given as a JSON file or as options.
 */
public record BatchRequest(
    String requestId,
    Set<String> symbols,
    Set<String> exchanges,
    Set<Timeframe> timeframes,
    Instant start,
    Instant end,
    List<String> models,
    String input,
    String output,
    String completionSink) implements Serializable {

  public BatchRequest {
    symbols = Set.copyOf(symbols);
    exchanges = Set.copyOf(exchanges);
    timeframes = timeframes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(timeframes));
    models = List.copyOf(models);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses the JSON request format (see README). */
  public static BatchRequest fromJson(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      String id = n.path("request_id").asText("");
      String output = n.path("output").asText("");
      return new BatchRequest(id, strings(n, "symbols"), strings(n, "exchanges"), timeframes(new ArrayList<>(strings(n, "timeframes"))),
          instant(n.path("start").asText(null), "start"), instant(n.path("end").asText(null), "end"),
          new ArrayList<>(strings(n, "models")), n.path("input").asText(""), output,
          n.path("completion_sink").asText(defaultSink(output)));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("batch request is not valid JSON: " + e.getMessage(), e);
    }
  }

  public static String defaultSink(String output) {
    return "file:" + (output.endsWith("/") ? output : output + "/") + "batch_completed.json";
  }

  static Instant instant(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("batch request needs '" + field + "' (ISO-8601, e.g. 2024-03-01T00:00:00Z)");
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("batch request '" + field + "' is not an ISO-8601 instant: " + text);
    }
  }

  static Set<Timeframe> timeframes(List<String> codes) {
    Set<Timeframe> out = EnumSet.noneOf(Timeframe.class);
    for (String c : codes) {
      out.add(Timeframe.fromCode(c).orElseThrow(() ->
          new IllegalArgumentException("batch request names unknown timeframe '" + c + "' (1m, 5m, 15m, 1h, 4h, 1d)")));
    }
    return out;
  }

  private static Set<String> strings(JsonNode n, String field) {
    Set<String> out = new LinkedHashSet<>();
    JsonNode v = n.get(field);
    if (v != null && v.isArray()) {
      v.forEach(x -> out.add(x.asText()));
    } else if (v != null && v.isTextual()) {
      out.add(v.asText());
    }
    return out;
  }

  /**
   * The models per timeframe this request runs: its own list (each placed by the timeframe in its
   * name's metadata, resolved later), or the configuration's models for the requested timeframes.
   */
  public Map<Timeframe, List<String>> modelsByTimeframe(InferenceConfig config, Map<String, Timeframe> timeframeOfRef) {
    Map<Timeframe, List<String>> out = new EnumMap<>(Timeframe.class);
    if (models.isEmpty()) {
      for (Timeframe tf : timeframes) {
        out.put(tf, config.timeframeSpecificModels().getOrDefault(tf, List.of()));
      }
    } else {
      for (String ref : models) {
        out.computeIfAbsent(timeframeOfRef.get(ref), k -> new ArrayList<>()).add(ref);
      }
    }
    return out;
  }

  /**
   * What can be refused in the request itself: an empty or inverted range, unknown symbols,
   * exchanges or timeframes, a missing input or output. Its models are checked by {@link BatchPreflight}.
   */
  public List<String> problems(InferenceConfig config) {
    List<String> problems = new ArrayList<>();
    if (requestId == null || !requestId.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}")) {
      problems.add("request_id must be 1-128 characters of letters, digits, '.', '_', '-'");
    }
    if (!start.isBefore(end)) {
      problems.add("the time range is empty: start " + start + " is not before end " + end);
    }
    if (timeframes.isEmpty()) {
      problems.add("no timeframes requested");
    }
    if (symbols.isEmpty()) {
      problems.add("no symbols requested");
    }
    if (exchanges.isEmpty()) {
      problems.add("no exchanges requested");
    }
    for (String s : symbols) {
      if (!config.symbols().isEmpty() && !config.symbols().contains(s)) {
        problems.add("unknown symbol " + s + " (configured: " + config.symbols() + ")");
      }
    }
    for (String x : exchanges) {
      if (!config.exchanges().isEmpty() && !config.exchanges().contains(x)) {
        problems.add("unknown exchange " + x + " (configured: " + config.exchanges() + ")");
      }
    }
    for (Timeframe tf : timeframes) {
      if (!config.enabledTimeframes().contains(tf)) {
        problems.add("timeframe " + tf + " is not enabled in the configuration");
      }
    }
    if (input == null || input.isBlank()) {
      problems.add("no input (Parquet path or glob)");
    }
    if (output == null || output.isBlank()) {
      problems.add("no output location");
    }
    if (!completionSink.startsWith("file:") && !completionSink.startsWith("kafka:") && !completionSink.startsWith("pubsub:")) {
      problems.add("completion_sink must be file:PATH, kafka:BOOTSTRAP/TOPIC or pubsub:projects/P/topics/T");
    }
    return problems;
  }

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("request_id", requestId);
    ArrayNode s = n.putArray("symbols");
    symbols.stream().sorted().forEach(s::add);
    ArrayNode x = n.putArray("exchanges");
    exchanges.stream().sorted().forEach(x::add);
    ArrayNode t = n.putArray("timeframes");
    timeframes.stream().sorted().forEach(tf -> t.add(tf.code()));
    n.put("start", start.toString());
    n.put("end", end.toString());
    ArrayNode m = n.putArray("models");
    models.forEach(m::add);
    n.put("input", input);
    n.put("output", output);
    n.put("completion_sink", completionSink);
    return n;
  }
}
