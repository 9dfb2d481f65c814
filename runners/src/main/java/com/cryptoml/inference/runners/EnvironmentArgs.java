package com.cryptoml.inference.runners;

import com.cryptoml.inference.pipelines.config.ConfigLoader;
import java.util.Locale;

/**
 * Adds the environment file's {@code dataflow:} section to a command line that runs on Dataflow, so
 * moving a job from a laptop to production is {@code --environment=production
 * --runner=DataflowRunner} plus the project: workers, GPUs, autoscaling, Streaming Engine and the
 * container come from the file; any of them given on the command line wins.
 */
final class EnvironmentArgs {
  private EnvironmentArgs() {}

  static String[] resolve(String[] args, boolean streaming) {
    if (!onDataflow(args)) {
      return args;
    }
    return ConfigLoader.resolve(args).dataflow().under(args, streaming);
  }

  static boolean onDataflow(String[] args) {
    String runner = value(args, "runner", "DirectRunner").toLowerCase(Locale.ROOT);
    return runner.equals("dataflowrunner") || runner.equals("dataflow") || runner.endsWith(".dataflowrunner");
  }

  private static String value(String[] args, String name, String fallback) {
    String prefix = "--" + name + "=";
    String found = fallback;
    for (String a : args) {
      if (a.startsWith(prefix)) {
        found = a.substring(prefix.length());
      }
    }
    return found;
  }
}
