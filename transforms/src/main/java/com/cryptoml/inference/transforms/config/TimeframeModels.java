package com.cryptoml.inference.transforms.config;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code timeframe_specific_models}: the model references each timeframe serves, in order. Written in
 * a file as a mapping ({@code 1h: [swing-high-v1-1h, swing-high-v1-1h@challenger]}) and on the command
 * line as {@code --models='1h=swing-high-v1-1h,swing-high-v1-1h@challenger;4h=momentum-v1-4h'}. Every
 * reference is checked as it is read ({@link ModelRef#parse}).
 */
public final class TimeframeModels implements Serializable {
  private final EnumMap<Timeframe, List<String>> refs;

  private TimeframeModels(EnumMap<Timeframe, List<String>> refs) {
    this.refs = refs;
  }

  public static TimeframeModels of(Map<Timeframe, List<String>> refs) {
    EnumMap<Timeframe, List<String>> copy = new EnumMap<>(Timeframe.class);
    refs.forEach((tf, list) -> {
      list.forEach(ModelRef::parse);
      copy.put(tf, List.copyOf(list));
    });
    return new TimeframeModels(copy);
  }

  public static TimeframeModels none() {
    return new TimeframeModels(new EnumMap<>(Timeframe.class));
  }

  /** A mapping (a file's, as JSON) or the command line's {@code tf=ref,ref;tf=ref}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TimeframeModels from(JsonNode node) {
    if (node.isTextual()) {
      return parse(node.asText());
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("must map timeframes to model references, got " + node);
    }
    EnumMap<Timeframe, List<String>> out = new EnumMap<>(Timeframe.class);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Timeframe tf = timeframe(e.getKey());
      List<String> list = new ArrayList<>();
      if (e.getValue().isTextual()) {
        list.add(e.getValue().asText());
      } else if (e.getValue().isArray()) {
        e.getValue().forEach(r -> list.add(r.asText()));
      } else {
        throw new IllegalArgumentException(e.getKey() + " must be a model reference or a list of them, got " + e.getValue());
      }
      out.put(tf, list);
    }
    return of(out);
  }

  /** {@code 1h=a,b;4h=c}. */
  public static TimeframeModels parse(String spec) {
    EnumMap<Timeframe, List<String>> out = new EnumMap<>(Timeframe.class);
    for (String part : spec.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("'" + part + "' is not timeframe=model[,model]");
      }
      List<String> list = new ArrayList<>();
      for (String ref : splitRefs(part.substring(eq + 1))) {
        if (!ref.isBlank()) {
          list.add(ref.trim());
        }
      }
      out.put(timeframe(part.substring(0, eq).trim()), list);
    }
    return of(out);
  }

  /** Splits on commas outside double quotes (a quoted model name may hold one). */
  private static List<String> splitRefs(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : text.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static Timeframe timeframe(String code) {
    return Timeframe.fromCode(code).orElseThrow(() ->
        new IllegalArgumentException("unknown timeframe '" + code + "' (1m, 5m, 15m, 1h, 4h, 1d)"));
  }

  public Map<Timeframe, List<String>> asMap() {
    return Collections.unmodifiableMap(refs);
  }

  public List<String> of(Timeframe tf) {
    return refs.getOrDefault(tf, List.of());
  }

  /** The command line's form, which {@link #parse} reads back. */
  @JsonValue
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    refs.forEach((tf, list) -> {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(tf.code()).append('=').append(String.join(",", list));
    });
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeframeModels m && m.refs.equals(refs);
  }

  @Override
  public int hashCode() {
    return refs.hashCode();
  }
}
