package com.cryptoml.inference.runners.ops;

import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.config.ModelPreflight;
import com.cryptoml.inference.runners.cli.Cli;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.Mode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ./inference models}: resolves every model reference of the enabled timeframes against the
 * registry the way a worker would (download, checksum, MLmodel, metadata, SavedModel signature; with
 * {@code --load}, TensorFlow load and warm-up) and prints one row per reference. Exits 1 when any
 * reference would be refused, 2 when the configuration routes a model to the wrong timeframe.
 */
public final class ModelsCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelsCommand() {}

  public static int run(String[] args, PrintStream out) {
    ModelsOptions options = ConfigLoader.options(args, ModelsOptions.class);
    InferenceConfig config = InferenceConfig.of(options, Mode.LIVE);
    if (options.getLoad()) {
      TensorFlowNatives.install();
    }
    ModelPreflight.Report report = ModelPreflight.run(config, options.getLoad());
    if (options.getJson()) {
      report.rows().forEach(r -> out.println(json(r)));
    } else {
      print(report, options.getLoad(), out);
    }
    ModelPreflight.failOnConfigurationProblems(report);
    return report.allVerified() ? Cli.OK : Cli.FAILED;
  }

  private static void print(ModelPreflight.Report report, boolean load, PrintStream out) {
    out.println("Registry: " + report.registry());
    String format = "%-4s %-32s %-8s %-8s %-20s %-8s %s%n";
    out.printf(format, "tf", "reference", "version", "label", "type", "lookback", load ? "status (load + warm-up)" : "status");
    for (ModelPreflight.Row r : report.rows()) {
      String status = r.verified() ? "verified sha256 " + shortSha(r.sha256()) + (load ? " (" + r.loadTime().toMillis() + " ms)" : "")
          : "REFUSED " + r.reason() + ": " + r.detail();
      out.printf(format, r.timeframe().code(), r.ref(), dash(r.version()), dash(r.versionLabel()), dash(r.modelType()),
          r.lookback() == 0 ? "-" : Integer.toString(r.lookback()), status);
      if (r.verified()) {
        out.println("     features: " + String.join(", ", r.features()));
      }
    }
    long refused = report.rows().stream().filter(ModelPreflight.Row::refused).count();
    out.println(refused == 0 ? "All " + report.rows().size() + " references verified."
        : refused + " of " + report.rows().size() + " references would be refused.");
  }

  private static String json(ModelPreflight.Row r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("timeframe", r.timeframe().code());
    n.put("ref", r.ref());
    n.put("model_id", r.modelId());
    n.put("registry_version", r.version());
    n.put("model_version", r.versionLabel());
    n.put("stage", r.stage());
    n.put("model_type", r.modelType());
    n.put("model_timeframe", r.modelTimeframe() == null ? null : r.modelTimeframe().code());
    n.put("lookback", r.lookback());
    n.putPOJO("features", List.copyOf(r.features()));
    n.put("sha256", r.sha256());
    n.put("verified", r.verified());
    n.put("reason", r.reason());
    n.put("detail", r.detail());
    n.put("load_ms", r.loadTime().toMillis());
    return n.toString();
  }

  private static String shortSha(String sha) {
    return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
  }

  private static String dash(Object v) {
    return v == null ? "-" : v.toString();
  }
}
