package com.cryptoml.inference.transforms.config;

import com.cryptoml.inference.models.metadata.ModelType;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code dataflow.resource_hints}: per model type, the resources of its own inference step, written
 * {@code pattern_completion: {accelerator: "type:nvidia-tesla-t4;count:1;install-nvidia-driver", min_ram: 16GB}}
 * in a file and as the same JSON object on the command line.
 */
public final class ResourceHintsByType implements Serializable {
  private final EnumMap<ModelType, ResourceHintSpec> hints;

  private ResourceHintsByType(EnumMap<ModelType, ResourceHintSpec> hints) {
    this.hints = hints;
  }

  public static ResourceHintsByType none() {
    return new ResourceHintsByType(new EnumMap<>(ModelType.class));
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ResourceHintsByType from(JsonNode node) {
    JsonNode n = node;
    if (n.isTextual()) {
      try {
        n = n.asText().isBlank() ? new ObjectMapper().createObjectNode() : new ObjectMapper().readTree(n.asText());
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("is not a JSON object of model type to {accelerator, min_ram}: " + node.asText());
      }
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException("must map model types to {accelerator, min_ram}, got " + n);
    }
    EnumMap<ModelType, ResourceHintSpec> out = new EnumMap<>(ModelType.class);
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ModelType type = ModelType.fromCode(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
          "unknown model type '" + e.getKey() + "' (directional, volatility, swing_points, pattern_completion)"));
      JsonNode spec = e.getValue();
      if (!spec.isObject()) {
        throw new IllegalArgumentException(e.getKey() + " must be {accelerator, min_ram}");
      }
      for (Iterator<String> f = spec.fieldNames(); f.hasNext(); ) {
        String field = f.next();
        if (!field.equals("accelerator") && !field.equals("min_ram")) {
          throw new IllegalArgumentException("unknown key '" + e.getKey() + "." + field + "' (accelerator, min_ram)");
        }
      }
      out.put(type, new ResourceHintSpec(spec.hasNonNull("accelerator") ? spec.get("accelerator").asText() : null,
          spec.hasNonNull("min_ram") ? spec.get("min_ram").asText() : null));
    }
    return new ResourceHintsByType(out);
  }

  public Map<ModelType, ResourceHintSpec> asMap() {
    return Collections.unmodifiableMap(hints);
  }

  public boolean isEmpty() {
    return hints.isEmpty();
  }

  @JsonValue
  public JsonNode toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    hints.forEach((type, spec) -> {
      ObjectNode s = o.putObject(type.code());
      if (spec.accelerator() != null) {
        s.put("accelerator", spec.accelerator());
      }
      if (spec.minRam() != null) {
        s.put("min_ram", spec.minRam());
      }
    });
    return o;
  }

  @Override
  public String toString() {
    return toJson().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceHintsByType r && r.hints.equals(hints);
  }

  @Override
  public int hashCode() {
    return hints.hashCode();
  }
}
