package com.cryptoml.inference.pipelines.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The configuration file's {@code dataflow:} section: where and on what the job runs on Dataflow.
 * Its keys are Beam's own Dataflow options, written the files' way, each declared once in {@link
 * #KEYS}; they become those options on a Dataflow launch ({@link #toArgs(boolean)}), and an option
 * given on the command line wins over the file, so one file serves every job of an environment and a
 * run can still adjust it. The section's {@code resource_hints} is a setting of the pipeline itself
 * ({@code InferenceOptions}).
 */
public record DataflowSettings(Map<String, Object> values) {
  /** Dataflow's accelerator syntax: {@code type:nvidia-tesla-t4;count:1;install-nvidia-driver}. */
  static final Pattern ACCELERATOR = Pattern.compile("^type:[a-z0-9-]+;count:[1-9][0-9]*(;install-nvidia-driver(:[a-z0-9.=-]+)?)?$");

  /**
   * A key of the section: the Dataflow option it sets ({@code ...} stands for the value where the
   * option carries more than the value), what it allows and what it does, and how a written value is
   * read: null when it is not allowed, which the message names as {@code "'VALUE' is not " + notA}.
   */
  public record Key(String option, String allowed, String description, String notA, Function<JsonNode, @Nullable Object> read) {
    String arg(Object value) {
      return "--" + (option.contains("...") ? option.replace("...", value.toString()) : option + "=" + value);
    }
  }

  /** The section's keys, as the reference table lists them and as their options are passed on. */
  public static final Map<String, Key> KEYS = keys();

  private static Map<String, Key> keys() {
    Function<JsonNode, Object> text = v -> v.isValueNode() && !v.isNull() ? v.asText() : null;
    Function<JsonNode, Object> count = v -> v.isIntegralNumber() && v.asInt() >= 1 ? v.asInt() : null;
    Map<String, Key> k = new LinkedHashMap<>();
    k.put("autoscaling_algorithm", new Key("autoscalingAlgorithm", "NONE | THROUGHPUT_BASED", "Dataflow autoscaling.",
        "NONE or THROUGHPUT_BASED", v -> List.of("NONE", "THROUGHPUT_BASED").contains(v.asText()) ? v.asText() : null));
    k.put("enable_streaming_engine", new Key("enableStreamingEngine", "boolean",
        "Streaming Engine: state and shuffle in the Dataflow service, not on the workers (streaming jobs only).", "true or false",
        v -> v.isBoolean() ? v.asBoolean() : null));
    k.put("experiments", new Key("experiments", "list", "Dataflow experiments, e.g. use_runner_v2 (required for GPUs).", "", v -> {
      List<String> list = new ArrayList<>();
      (v.isArray() ? v : List.of(v)).forEach(x -> list.add(x.asText()));
      return List.copyOf(list);
    }));
    k.put("max_num_workers", new Key("maxNumWorkers", "int >= num_workers", "Upper bound for autoscaling.", "an integer >= 1", count));
    k.put("num_workers", new Key("numWorkers", "int >= 1", "Workers at start.", "an integer >= 1", count));
    k.put("region", new Key("region", "string", "Dataflow region of the job.", "a single value", text));
    k.put("sdk_container_image", new Key("sdkContainerImage", "image reference",
        "Custom worker container (runners/dataflow/worker/Dockerfile) with TensorFlow's CUDA natives.", "a single value", text));
    k.put("worker_accelerator", new Key("dataflowServiceOptions=worker_accelerator=...", "type:T;count:N[;install-nvidia-driver]",
        "GPUs on every worker (needs experiments: [use_runner_v2]).", "type:<gpu>;count:<n>[;install-nvidia-driver]",
        v -> ACCELERATOR.matcher(v.asText()).matches() ? v.asText() : null));
    k.put("worker_machine_type", new Key("workerMachineType", "string", "Compute Engine machine type of the workers.", "a single value",
        text));
    return Collections.unmodifiableMap(k);
  }

  public DataflowSettings {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The section from a file's (merged) keys, all of {@link #KEYS}; problems are added, each naming its key. */
  static DataflowSettings from(Map<String, JsonNode> section, List<String> problems) {
    Map<String, Object> values = new LinkedHashMap<>();
    KEYS.forEach((name, key) -> {
      JsonNode written = section.get(name);
      if (written != null) {
        Object v = key.read().apply(written);
        if (v == null) {
          problems.add("dataflow." + name + ": '" + ConfigLoader.text(written) + "' is not " + key.notA());
        } else {
          values.put(name, v);
        }
      }
    });
    if (values.get("num_workers") instanceof Integer num && values.get("max_num_workers") instanceof Integer max && max < num) {
      problems.add("dataflow.max_num_workers (" + max + ") is below dataflow.num_workers (" + num + ")");
    }
    if (values.containsKey("worker_accelerator") && !experiments(values).contains("use_runner_v2")) {
      problems.add("dataflow.worker_accelerator needs dataflow.experiments to include use_runner_v2 (Dataflow runs GPUs on Runner v2 only)");
    }
    return new DataflowSettings(values);
  }

  public static DataflowSettings none() {
    return new DataflowSettings(Map.of());
  }

  /** The value of a key ({@code num_workers}), as read: text, an integer, a boolean or a list; null when unset. */
  public @Nullable Object get(String key) {
    return values.get(key);
  }

  public List<?> experiments() {
    return experiments(values);
  }

  private static List<?> experiments(Map<String, Object> values) {
    return values.get("experiments") instanceof List<?> list ? list : List.of();
  }

  /** Whether the file asks for GPU workers. */
  public boolean gpuWorkers() {
    return values.containsKey("worker_accelerator");
  }

  /** The settings as Dataflow pipeline options, in command-line form; Streaming Engine for streaming jobs only. */
  public List<String> toArgs(boolean streaming) {
    List<String> args = new ArrayList<>();
    values.forEach((name, value) -> {
      if (streaming || !name.equals("enable_streaming_engine")) {
        for (Object v : value instanceof List<?> list ? list : List.of(value)) {
          args.add(KEYS.get(name).arg(v));
        }
      }
    });
    return args;
  }

  /**
   * The command line with these settings added: a scalar option already on the command line is
   * kept as given; list options ({@code experiments}, {@code dataflowServiceOptions}) accumulate.
   */
  public String[] under(String[] commandLine, boolean streaming) {
    List<String> out = new ArrayList<>();
    for (String arg : toArgs(streaming)) {
      String name = ConfigLoader.optionName(arg);
      boolean list = name.equals("experiments") || name.equals("dataflowServiceOptions");
      if (list || Arrays.stream(commandLine).noneMatch(a -> ConfigLoader.optionName(a).equals(name))) {
        out.add(arg);
      }
    }
    out.addAll(List.of(commandLine));
    return out.toArray(String[]::new);
  }
}
