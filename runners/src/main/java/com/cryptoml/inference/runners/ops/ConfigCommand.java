package com.cryptoml.inference.runners.ops;

import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.runners.cli.Cli;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ./inference config}: the effective configuration for a profile, a file and a command line,
 * one row per key of the configuration reference with its value and where it came from. Every
 * problem (unknown key, wrong type, out of range, malformed duration) is reported at once, exit 2.
 */
public final class ConfigCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigCommand() {}

  public static int run(String[] args, PrintStream out) {
    ConfigOptions options = ConfigLoader.options(args, ConfigOptions.class); // every problem, or the options
    ConfigLoader.Resolved r = ConfigLoader.resolve(args);
    if (options.getJson()) {
      for (ConfigLoader.Value v : r.values()) {
        ObjectNode n = JSON.createObjectNode();
        n.put("key", v.entry().key());
        n.put("option", "--" + v.entry().option());
        n.put("value", v.text());
        n.put("source", v.source().toString());
        n.put("origin", v.origin());
        out.println(n);
      }
      return Cli.OK;
    }
    out.println("Profile: " + (r.profile() == null ? "(none)" : r.profile()) + "; file: "
        + (r.configFile() == null ? "(none)" : r.configFile()));
    int width = r.values().stream().mapToInt(v -> v.entry().key().length()).max().orElse(10) + 2;
    int valueWidth = Math.min(40, r.values().stream().mapToInt(v -> v.text().length()).max().orElse(10)) + 2;
    String format = "%-" + width + "s%-" + valueWidth + "s  %s%n";
    out.printf(format, "key", "value", "from");
    for (ConfigLoader.Value v : r.values()) {
      out.printf(format, v.entry().key(), v.text(), from(v));
    }
    List<String> dataflow = r.dataflow().toArgs(true);
    if (!dataflow.isEmpty()) {
      out.println("dataflow (applied with --runner=DataflowRunner): " + String.join(" ", dataflow));
    }
    return Cli.OK;
  }

  private static String from(ConfigLoader.Value v) {
    return switch (v.source()) {
      case DEFAULT -> "default";
      case COMMAND_LINE -> "command line (" + v.origin() + ")";
      default -> v.source() + " (" + v.origin() + ")";
    };
  }
}
