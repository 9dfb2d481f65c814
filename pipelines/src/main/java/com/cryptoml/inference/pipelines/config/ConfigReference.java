package com.cryptoml.inference.pipelines.config;

import com.cryptoml.inference.transforms.config.InferenceOptions;
import com.cryptoml.inference.transforms.config.Settings;
import java.util.Map;

/**
 * The configuration reference of docs/configuration.md, generated from the settings' declarations
 * ({@link InferenceOptions}) and the {@code dataflow:} keys ({@link DataflowSettings#KEYS}); a test
 * keeps the document equal to it.
 */
public final class ConfigReference {
  private ConfigReference() {}

  /** One row per key: file key, command-line option, what it allows, default, meaning. */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder("| key | command line | allowed | default | meaning |\n| --- | --- | --- | --- | --- |\n");
    for (Settings.Entry e : Settings.of(InferenceOptions.class)) {
      String def = e.defaultValue().replace("${java.io.tmpdir}", "<java.io.tmpdir>");
      b.append("| `").append(e.key()).append("` | `--").append(e.option()).append("` | ").append(cell(e.allowed())).append(" | ")
          .append(def.isEmpty() ? "(none)" : "`" + cell(def) + "`").append(" | ").append(cell(e.description())).append(" |\n");
    }
    for (Map.Entry<String, DataflowSettings.Key> k : DataflowSettings.KEYS.entrySet()) {
      b.append("| `dataflow.").append(k.getKey()).append("` | `--").append(k.getValue().option()).append("` (Dataflow) | ")
          .append(cell(k.getValue().allowed())).append(" | (none) | ").append(cell(k.getValue().description())).append(" |\n");
    }
    return b.toString();
  }

  /** Prints the table, to paste into docs/configuration.md. */
  public static void main(String[] args) {
    System.out.print(markdownTable());
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
