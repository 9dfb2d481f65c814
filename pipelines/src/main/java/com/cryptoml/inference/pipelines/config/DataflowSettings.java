package com.cryptoml.inference.pipelines.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The configuration file's {@code dataflow:} section: where and on what the job runs on Dataflow.
 * It becomes Dataflow pipeline options ({@link #toArgs(boolean)}); an option given on the command line
 * wins over the file, so one file serves every job of an environment and a run can still adjust it.
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
      String name = optionName(arg);
      boolean list = name.equals("experiments") || name.equals("dataflowServiceOptions");
      if (list || !given(commandLine, name)) {
        out.add(arg);
      }
    }
    out.addAll(List.of(commandLine));
    return out.toArray(String[]::new);
  }

  static boolean given(String[] commandLine, String name) {
    for (String a : commandLine) {
      if (optionName(a).equals(name)) {
        return true;
      }
    }
    return false;
  }

  static String optionName(String arg) {
    String s = arg.startsWith("--") ? arg.substring(2) : arg;
    int eq = s.indexOf('=');
    return eq < 0 ? s : s.substring(0, eq);
  }

  private static void add(List<String> args, String name, @Nullable Object value) {
    if (value != null) {
      args.add("--" + name + "=" + value);
    }
  }
}
