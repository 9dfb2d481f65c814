package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.transforms.events.EventIds;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code batch_completed} event: request id, status, counts per timeframe (rows in, predictions
 * per model version, dead letters per reason), the model versions used, the output files, start and
 * end time and duration. Wall-clock fields: {@code timestamp}, {@code started_at}, {@code finished_at},
 * {@code duration_ms}.
 */
public final class CompletionEvent {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CompletionEvent() {}

  public static String build(BatchRequest request, EventJson.Envelope envelope, ActiveModels models, String status,
      Map<String, Long> counts, long startedAt, long finishedAt, String error) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    // The same request written to the same place is the same completion; another range, model list or
    // output folder is another one, even under the same request id.
    e.put("event_id", EventIds.nameBased("batch_completed|" + request.toJson()).toString());
    e.put("timestamp", Instant.ofEpochMilli(finishedAt).toString());
    e.put("service", "ml-inference-service");
    e.put("environment", envelope.environment());
    e.put("sub_environment", envelope.subEnvironment());
    e.put("mode", envelope.mode());
    e.put("event_type", "batch_completed");
    e.put("request_id", request.requestId());
    e.put("status", status);
    if (error != null) {
      e.put("error", error);
    }
    e.put("started_at", Instant.ofEpochMilli(startedAt).toString());
    e.put("finished_at", Instant.ofEpochMilli(finishedAt).toString());
    e.put("duration_ms", finishedAt - startedAt);
    e.set("request", request.toJson());
    ObjectNode versions = e.putObject("model_versions");
    for (ActiveModels.Entry m : models.active().values()) {
      versions.putObject(m.ref()).put("model_id", m.modelId()).put("model_version", m.version().versionLabel())
          .put("registry_version", m.version().version()).put("sha256", m.version().sha256());
    }
    ObjectNode perTimeframe = e.putObject("counts");
    ArrayNode predictionFiles = JsonNodeFactory.instance.arrayNode();
    ArrayNode deadLetterFiles = JsonNodeFactory.instance.arrayNode();
    String report = null;
    long predicted = 0;
    long dead = 0;
    long rowsIn = 0;
    for (Map.Entry<String, Long> c : counts.entrySet()) {
      String[] k = c.getKey().split("\\|", 3);
      switch (k[0]) {
        case "in" -> {
          timeframe(perTimeframe, k[1]).put("rows_in", c.getValue());
          rowsIn += c.getValue();
        }
        case "pred" -> {
          timeframe(perTimeframe, k[1]).with("predicted").put(k[2], c.getValue());
          predicted += c.getValue();
        }
        case "dead" -> {
          timeframe(perTimeframe, k[1]).with("dead_lettered").put(k[2], c.getValue());
          dead += c.getValue();
        }
        case "file" -> {
          switch (k[1]) {
            case "predictions" -> predictionFiles.add(k[2]);
            case "dead_letters" -> deadLetterFiles.add(k[2]);
            default -> report = k[2];
          }
        }
        default -> throw new IllegalArgumentException("unknown count " + c.getKey());
      }
    }
    e.putObject("totals").put("rows_in", rowsIn).put("predicted", predicted).put("dead_lettered", dead);
    ObjectNode files = e.putObject("output_files");
    files.set("predictions", predictionFiles);
    files.set("dead_letters", deadLetterFiles);
    if (report != null) {
      files.put("report", report);
    }
    try {
      return JSON.writeValueAsString(e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static ObjectNode timeframe(ObjectNode perTimeframe, String tf) {
    ObjectNode n = perTimeframe.with(tf);
    if (!n.has("rows_in")) {
      n.put("rows_in", 0);
      n.putObject("predicted");
      n.putObject("dead_lettered");
    }
    return n;
  }
}
