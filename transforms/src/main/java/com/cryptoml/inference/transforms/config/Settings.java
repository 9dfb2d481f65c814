package com.cryptoml.inference.transforms.config;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.Registries;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The settings an options interface declares with {@link Setting}, read by reflection: their option
 * names, file keys, types, defaults and bounds; how a written value becomes a typed one; and the
 * checks that span several settings. What reads files and the command line builds on this.
 */
public final class Settings {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Settings() {}

  /** One setting: {@code --option} on the command line, {@code key} in the files. */
  public record Entry(String option, String key, Method getter, Type type, String defaultValue, String allowed, String description,
      double min, double max) {
    public String section() {
      return key.substring(0, key.indexOf('.'));
    }

    public String name() {
      return key.substring(key.indexOf('.') + 1);
    }

    /** The default as it would be written, with {@code ${property}} of this JVM filled in. */
    public String defaultText() {
      String text = defaultValue;
      int at;
      while ((at = text.indexOf("${")) >= 0) {
        int end = text.indexOf('}', at);
        text = text.substring(0, at) + System.getProperty(text.substring(at + 2, end), "") + text.substring(end + 1);
      }
      return text;
    }

    /** The setter Beam's options proxy answers to. */
    public Method setter(Class<?> options) {
      try {
        return options.getMethod("set" + getter.getName().substring(3), getter.getReturnType());
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(getter + " has no setter", e);
      }
    }
  }

  /** The settings of {@code options} and the interfaces it extends, by section, then by key. */
  public static List<Entry> of(Class<? extends PipelineOptions> options) {
    Map<String, Entry> out = new LinkedHashMap<>();
    List<Class<?>> interfaces = new ArrayList<>();
    collect(options, interfaces);
    for (Class<?> iface : interfaces) {
      for (Method m : iface.getDeclaredMethods()) {
        Setting s = m.getAnnotation(Setting.class);
        if (s == null || out.containsKey(optionName(m))) {
          continue;
        }
        Description d = m.getAnnotation(Description.class);
        out.put(optionName(m), new Entry(optionName(m), s.key(), m, m.getGenericReturnType(), s.defaultValue(), s.allowed(),
            d == null ? "" : d.value(), s.min(), s.max()));
      }
    }
    List<Entry> entries = new ArrayList<>(out.values());
    List<String> sections = List.of("inference_config", "deployment", "monitoring", "dataflow");
    entries.sort(Comparator.comparingInt((Entry e) -> sections.indexOf(e.section())).thenComparing(Entry::key));
    return entries;
  }

  private static void collect(Class<?> iface, List<Class<?>> into) {
    if (into.contains(iface)) {
      return;
    }
    for (Class<?> parent : iface.getInterfaces()) {
      collect(parent, into);
    }
    into.add(iface);
  }

  static String optionName(Method getter) {
    String n = getter.getName().substring(3);
    return Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  /**
   * {@code text} as a value of the setting's type, within its bounds; an {@link
   * IllegalArgumentException} naming what is allowed otherwise.
   */
  public static Object parse(Entry e, String text) {
    Object value;
    try {
      value = convert(e.type(), text == null ? "" : text.trim());
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(e.key() + " (--" + e.option() + "): " + ex.getMessage() + "; allowed: " + e.allowed());
    }
    double n = value instanceof Number num ? num.doubleValue() : value instanceof Span s ? s.toMillis() : Double.NaN;
    if (!Double.isNaN(n) && (n < e.min() || n > e.max())) {
      throw new IllegalArgumentException(e.key() + " (--" + e.option() + "): '" + text + "' is out of range; allowed: " + e.allowed());
    }
    return value;
  }

  private static Object convert(Type type, String text) {
    if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      Type element = p.getActualTypeArguments()[0];
      List<Object> out = new ArrayList<>();
      String body = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
      for (String part : body.split(",")) {
        if (!part.isBlank()) {
          out.add(convert(element, part.trim()));
        }
      }
      return out;
    }
    Class<?> raw = (Class<?>) type;
    if (raw == String.class) {
      return text;
    }
    if (raw == Integer.class || raw == int.class) {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("'" + text + "' is not an integer");
      }
    }
    if (raw == Double.class || raw == double.class) {
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("'" + text + "' is not a number");
      }
    }
    if (raw == Boolean.class || raw == boolean.class) {
      String t = text.toLowerCase(Locale.ROOT);
      if (!t.equals("true") && !t.equals("false")) {
        throw new IllegalArgumentException("'" + text + "' is not true or false");
      }
      return Boolean.parseBoolean(t);
    }
    if (raw == Span.class) {
      return Span.parse(text);
    }
    if (raw == Timeframe.class) {
      return Timeframe.fromCode(text).orElseThrow(() -> new IllegalArgumentException("unknown timeframe '" + text + "' (1m, 5m, 15m, 1h, 4h, 1d)"));
    }
    if (raw == ReferenceClock.class) {
      return ReferenceClock.parse(text);
    }
    if (raw == ImputationPolicy.class) {
      return ImputationPolicy.of(text);
    }
    if (raw == TimeframeModels.class) {
      return TimeframeModels.from(node(text));
    }
    if (raw == ResourceHintsByType.class) {
      return ResourceHintsByType.from(node(text));
    }
    throw new IllegalStateException("no conversion for settings of type " + type);
  }

  /** A JSON object as written, or the text itself. */
  private static JsonNode node(String text) {
    if (text.startsWith("{")) {
      try {
        return JSON.readTree(text);
      } catch (IOException ex) {
        throw new IllegalArgumentException("'" + text + "' is not a JSON object");
      }
    }
    return TextNode.valueOf(text);
  }

  /** How a value is written on the command line and shown by {@code ./inference config}. */
  public static String format(Object value) {
    if (value instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      list.forEach(v -> parts.add(format(v)));
      return String.join(",", parts);
    }
    return value == null ? "" : value.toString();
  }

  /** The checks that span settings, on their typed values by option name: every problem, each naming its keys. */
  public static List<String> crossChecks(Map<String, Object> values) {
    List<String> problems = new ArrayList<>();
    Object window = values.get("driftWindowBars");
    Object period = values.get("driftPeriodBars");
    if (window instanceof Integer w && period instanceof Integer p && p > w) {
      problems.add("monitoring.drift_period_bars (" + p + ") must be at most monitoring.drift_window_bars (" + w + ")");
    }
    if (values.get("enabledTimeframes") instanceof List<?> tfs && tfs.isEmpty()) {
      problems.add("inference_config.enabled_timeframes must name at least one timeframe; allowed: 1m, 5m, 15m, 1h, 4h, 1d");
    }
    if (values.get("registry") instanceof String registry) {
      try {
        Registries.checked(registry);
      } catch (IllegalArgumentException e) {
        problems.add("deployment.registry (--registry): " + e.getMessage());
      }
    }
    return problems;
  }
}
