package com.cryptoml.inference.pipelines.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The configuration file's {@code dataflow:} section: where and on what the job runs on Dataflow.
 * Its keys are Beam's own Dataflow options, written the files' way ({@link #KEYS}); they become those
 * options on a Dataflow launch ({@link #toArgs(boolean)}), and an option given on the command line
 * wins over the file, so one file serves every job of an environment and a run can still adjust it.
 * The section's {@code resource_hints} is a setting of the pipeline itself ({@code InferenceOptions}).
 */
public record DataflowSettings(
    @Nullable String region,
    @Nullable String workerMachineType,
    @Nullable Integer numWorkers,
    @Nullable Integer maxNumWorkers,
    @Nullable String autoscalingAlgorithm,
    @Nullable Boolean enableStreamingEngine,
    List<String> experiments,
    @Nullable String workerAccelerator,
    @Nullable String sdkContainerImage) {

  /** Dataflow's accelerator syntax: {@code type:nvidia-tesla-t4;count:1;install-nvidia-driver}. */
  static final Pattern ACCELERATOR = Pattern.compile("^type:[a-z0-9-]+;count:[1-9][0-9]*(;install-nvidia-driver(:[a-z0-9.=-]+)?)?$");

  static final Set<String> AUTOSCALING = Set.of("NONE", "THROUGHPUT_BASED");

  /** A key of the section: the Dataflow option it sets, what it allows and what it does. */
  public record Key(String option, String allowed, String description) {}

  /** The section's keys, as the reference table lists them. */
  public static final Map<String, Key> KEYS = keys();

  private static Map<String, Key> keys() {
    Map<String, Key> k = new LinkedHashMap<>();
    k.put("autoscaling_algorithm", new Key("autoscalingAlgorithm", "NONE | THROUGHPUT_BASED", "Dataflow autoscaling."));
    k.put("enable_streaming_engine", new Key("enableStreamingEngine", "boolean",
        "Streaming Engine: state and shuffle in the Dataflow service, not on the workers (streaming jobs only)."));
    k.put("experiments", new Key("experiments", "list", "Dataflow experiments, e.g. use_runner_v2 (required for GPUs)."));
    k.put("max_num_workers", new Key("maxNumWorkers", "int >= num_workers", "Upper bound for autoscaling."));
    k.put("num_workers", new Key("numWorkers", "int >= 1", "Workers at start."));
    k.put("region", new Key("region", "string", "Dataflow region of the job."));
    k.put("sdk_container_image", new Key("sdkContainerImage", "image reference",
        "Custom worker container (runners/dataflow/worker/Dockerfile) with TensorFlow's CUDA natives."));
    k.put("worker_accelerator", new Key("dataflowServiceOptions=worker_accelerator=...", "type:T;count:N[;install-nvidia-driver]",
        "GPUs on every worker (needs experiments: [use_runner_v2])."));
    k.put("worker_machine_type", new Key("workerMachineType", "string", "Compute Engine machine type of the workers."));
    return k;
  }

  /** The section from a file's (merged) keys; problems are added, each naming its key. */
  static DataflowSettings from(Map<String, JsonNode> section, List<String> problems) {
    String region = null;
    String machine = null;
    Integer num = null;
    Integer max = null;
    String autoscaling = null;
    Boolean engine = null;
    List<String> experiments = List.of();
    String accelerator = null;
    String image = null;
    for (Map.Entry<String, JsonNode> e : section.entrySet()) {
      String key = "dataflow." + e.getKey();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "region" -> region = v.asText();
        case "worker_machine_type" -> machine = v.asText();
        case "num_workers", "max_num_workers" -> {
          if (!v.isIntegralNumber() || v.asInt() < 1) {
            problems.add(key + ": '" + v.asText() + "' is not an integer >= 1");
          } else if (e.getKey().equals("num_workers")) {
            num = v.asInt();
          } else {
            max = v.asInt();
          }
        }
        case "autoscaling_algorithm" -> {
          autoscaling = v.asText();
          if (!AUTOSCALING.contains(autoscaling)) {
            problems.add(key + ": '" + autoscaling + "' is not NONE or THROUGHPUT_BASED");
          }
        }
        case "enable_streaming_engine" -> {
          if (!v.isBoolean()) {
            problems.add(key + ": '" + v.asText() + "' is not true or false");
          } else {
            engine = v.asBoolean();
          }
        }
        case "experiments" -> {
          List<String> list = new ArrayList<>();
          if (v.isArray()) {
            v.forEach(x -> list.add(x.asText()));
          } else {
            list.add(v.asText());
          }
          experiments = list;
        }
        case "worker_accelerator" -> {
          accelerator = v.asText();
          if (!ACCELERATOR.matcher(accelerator).matches()) {
            problems.add(key + ": '" + accelerator + "' is not type:<gpu>;count:<n>[;install-nvidia-driver]");
          }
        }
        case "sdk_container_image" -> image = v.asText();
        default -> problems.add("unknown key '" + key + "'");
      }
    }
    if (num != null && max != null && max < num) {
      problems.add("dataflow.max_num_workers (" + max + ") is below dataflow.num_workers (" + num + ")");
    }
    if (accelerator != null && !experiments.contains("use_runner_v2")) {
      problems.add("dataflow.worker_accelerator needs dataflow.experiments to include use_runner_v2 (Dataflow runs GPUs on Runner v2 only)");
    }
    return new DataflowSettings(region, machine, num, max, autoscaling, engine, experiments, accelerator, image);
  }

  public DataflowSettings {
    experiments = List.copyOf(experiments);
  }

  public static DataflowSettings none() {
    return new DataflowSettings(null, null, null, null, null, null, List.of(), null, null);
  }

  /** Whether the file asks for GPU workers. */
  public boolean gpuWorkers() {
    return workerAccelerator != null;
  }

  /** The settings as Dataflow pipeline options, in command-line form; Streaming Engine for streaming jobs only. */
  public List<String> toArgs(boolean streaming) {
    List<String> args = new ArrayList<>();
    add(args, "region", region);
    add(args, "workerMachineType", workerMachineType);
    add(args, "numWorkers", numWorkers);
    add(args, "maxNumWorkers", maxNumWorkers);
    add(args, "autoscalingAlgorithm", autoscalingAlgorithm);
    if (streaming) {
      add(args, "enableStreamingEngine", enableStreamingEngine);
    }
    for (String e : experiments) {
      add(args, "experiments", e);
    }
    if (workerAccelerator != null) {
      add(args, "dataflowServiceOptions", "worker_accelerator=" + workerAccelerator);
    }
    add(args, "sdkContainerImage", sdkContainerImage);
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

  private static void add(List<String> args, String name, @Nullable Object value) {
    if (value != null) {
      args.add("--" + name + "=" + value);
    }
  }
}
