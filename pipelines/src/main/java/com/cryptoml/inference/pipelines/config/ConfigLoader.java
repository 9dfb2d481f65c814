package com.cryptoml.inference.pipelines.config;

import com.cryptoml.inference.pipelines.io.BeamFiles;
import com.cryptoml.inference.transforms.config.InferenceOptions;
import com.cryptoml.inference.transforms.config.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves every setting of {@link InferenceOptions} from four layers, each over the one before: the
 * defaults declared on the interface, an environment profile ({@code --environment=NAME}, one of the
 * embedded files; {@code local-dev} when nothing else is named), a configuration file ({@code
 * --config=FILE}, YAML or JSON, local or gs://) and the command line. Every value is checked as it is
 * read, and every problem of every layer is reported at once ({@link ConfigException}), each naming
 * its key, its value and what is allowed. The result records where each value came from, for
 * {@code ./inference config}.
 */
public final class ConfigLoader {
  public static final String EMBEDDED = "embedded:";
  public static final List<String> PROFILES = List.of("local-dev", "local-integration", "central-dev", "integration-test", "staging",
      "production");
  public static final String DEFAULT_PROFILE = "local-dev";
  public static final List<String> SECTIONS = List.of("inference_config", "deployment", "monitoring", "dataflow");

  private ConfigLoader() {}

  /** Where a value came from. */
  public enum Source {
    DEFAULT("default"),
    ENVIRONMENT("environment file"),
    CONFIG_FILE("config file"),
    COMMAND_LINE("command line");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** A setting's value, where it came from and which file or profile that was. */
  public record Value(Settings.Entry entry, Object value, Source source, String origin) {
    public String text() {
      return Settings.format(value);
    }
  }

  /**
   * Every setting resolved; the command line's other options, for Beam; the profile and file read; the
   * merged {@code dataflow:} section.
   */
  public record Resolved(List<Value> values, List<String> otherArgs, String profile, String configFile, DataflowSettings dataflow) {
    public Value value(String option) {
      return values.stream().filter(v -> v.entry().option().equals(option)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no setting --" + option));
    }
  }

  /** Bad configuration: every problem found, one per line. */
  public static final class ConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
      super("invalid configuration:\n  - " + String.join("\n  - ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** Options of {@code type} from the command line, with every setting resolved and set. */
  public static <T extends InferenceOptions> T options(String[] args, Class<T> type) {
    Resolved r = resolve(args);
    T options = CommandLine.parse(r.otherArgs().toArray(String[]::new), type);
    apply(r, options);
    return options;
  }

  /** Sets every resolved setting on {@code options}. */
  public static void apply(Resolved r, InferenceOptions options) {
    for (Value v : r.values()) {
      try {
        v.entry().setter(InferenceOptions.class).invoke(options, v.value());
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot set --" + v.entry().option(), e);
      }
    }
    if (r.configFile() != null) {
      options.setConfig(r.configFile());
    }
  }

  /** Every setting from defaults, profile, file and command line; a {@link ConfigException} with every problem. */
  public static Resolved resolve(String[] args) {
    List<Settings.Entry> entries = Settings.of(InferenceOptions.class);
    Map<String, Settings.Entry> byOption = new LinkedHashMap<>();
    Map<String, Settings.Entry> byKey = new LinkedHashMap<>();
    entries.forEach(e -> {
      byOption.put(e.option(), e);
      byKey.put(e.key(), e);
    });
    List<String> problems = new ArrayList<>();

    String environment = null;
    String config = null;
    for (String a : args) {
      String name = optionName(a);
      if (name.equals("environment")) {
        environment = optionValue(a);
      } else if (name.equals("config")) {
        config = optionValue(a);
      }
    }
    String profile = null;
    String configFile = null;
    if (config != null && config.startsWith(EMBEDDED)) {
      profile = config.substring(EMBEDDED.length());
    } else {
      configFile = config;
      if (environment != null && PROFILES.contains(environment)) {
        profile = environment;
      } else if (environment != null && configFile == null) {
        problems.add("--environment: no environment profile '" + environment + "' (" + String.join(", ", PROFILES)
            + "); give --config=FILE for a configuration of your own");
      } else if (configFile == null) {
        profile = DEFAULT_PROFILE;
      }
    }

    Map<String, Value> values = new LinkedHashMap<>();
    for (Settings.Entry e : entries) {
      values.put(e.option(), new Value(e, Settings.parse(e, e.defaultText()), Source.DEFAULT, "default"));
    }
    Map<String, JsonNode> dataflow = new LinkedHashMap<>();
    if (profile != null) {
      if (!PROFILES.contains(profile)) {
        problems.add("--config: no embedded profile '" + profile + "' (" + String.join(", ", PROFILES) + ")");
      } else {
        readLayer(EMBEDDED + profile, Source.ENVIRONMENT, byKey, values, dataflow, problems);
      }
    }
    if (configFile != null) {
      readLayer(configFile, Source.CONFIG_FILE, byKey, values, dataflow, problems);
    }

    List<String> other = new ArrayList<>();
    for (String a : args) {
      String name = optionName(a);
      Settings.Entry e = byOption.get(name);
      if (e == null) {
        if (!name.equals("config")) {
          other.add(a);
        }
        continue;
      }
      String text = a.contains("=") ? optionValue(a) : "true";
      try {
        values.put(e.option(), new Value(e, Settings.parse(e, text), Source.COMMAND_LINE, "--" + name));
      } catch (IllegalArgumentException ex) {
        problems.add(ex.getMessage());
      }
    }
    Map<String, Object> typed = new LinkedHashMap<>();
    values.forEach((option, v) -> typed.put(option, v.value()));
    problems.addAll(Settings.crossChecks(typed));
    DataflowSettings settings = DataflowSettings.from(dataflow, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Resolved(List.copyOf(values.values()), other, profile, configFile, settings);
  }

  private static void readLayer(String location, Source source, Map<String, Settings.Entry> byKey, Map<String, Value> values,
      Map<String, JsonNode> dataflow, List<String> problems) {
    JsonNode root;
    try {
      root = read(location);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> sections = root.fields(); sections.hasNext(); ) {
      Map.Entry<String, JsonNode> section = sections.next();
      if (!SECTIONS.contains(section.getKey())) {
        problems.add(location + ": unknown section '" + section.getKey() + "' (" + String.join(", ", SECTIONS) + ")");
        continue;
      }
      if (!section.getValue().isObject()) {
        problems.add(location + ": " + section.getKey() + " must be a mapping of keys to values");
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> keys = section.getValue().fields(); keys.hasNext(); ) {
        Map.Entry<String, JsonNode> k = keys.next();
        String key = section.getKey() + "." + k.getKey();
        Settings.Entry e = byKey.get(key);
        if (e == null && section.getKey().equals("dataflow") && DataflowSettings.KEYS.containsKey(k.getKey())) {
          dataflow.put(k.getKey(), k.getValue());
          continue;
        }
        if (e == null) {
          problems.add(location + ": unknown key '" + key + "'" + suggestion(key, byKey));
          continue;
        }
        try {
          values.put(e.option(), new Value(e, Settings.parse(e, text(k.getValue())), source, location));
        } catch (IllegalArgumentException ex) {
          problems.add(location + ": " + ex.getMessage());
        }
      }
    }
  }

  /** A value as it would be written on the command line: lists comma-joined, mappings as JSON. */
  static String text(JsonNode v) {
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.isValueNode() ? x.asText() : x.toString()));
      return String.join(",", parts);
    }
    if (v.isObject()) {
      return v.toString();
    }
    return v.isNull() ? "" : v.asText();
  }

  /** " (did you mean 'x'?)" when a known key is close. */
  private static String suggestion(String key, Map<String, Settings.Entry> byKey) {
    List<String> keys = new ArrayList<>(byKey.keySet());
    DataflowSettings.KEYS.keySet().forEach(k -> keys.add("dataflow." + k));
    String best = Suggestions.closest(key, keys);
    return best != null ? " (did you mean '" + best + "'?)" : "";
  }

  /** The file at {@code location} ({@code embedded:NAME}, a path or gs://) as a mapping. */
  public static JsonNode read(String location) {
    try {
      String text;
      if (location.startsWith(EMBEDDED)) {
        String name = location.substring(EMBEDDED.length());
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/config/" + name + ".yaml")) {
          if (in == null) {
            throw new IllegalArgumentException("no embedded configuration '" + name + "' (" + String.join(", ", PROFILES) + ")");
          }
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } else {
        text = BeamFiles.readString(location);
      }
      ObjectMapper mapper = text.trim().startsWith("{") ? new ObjectMapper() : new YAMLMapper();
      JsonNode root = mapper.readTree(text);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("configuration " + location + " is not a mapping of sections");
      }
      return root;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration " + location + ": " + e.getMessage(), e);
    }
  }

  /** {@code --name=value} or {@code --name} to {@code name}. */
  public static String optionName(String arg) {
    String s = arg.startsWith("--") ? arg.substring(2) : arg;
    int eq = s.indexOf('=');
    return eq < 0 ? s : s.substring(0, eq);
  }

  static String optionValue(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? "" : arg.substring(eq + 1);
  }
}
