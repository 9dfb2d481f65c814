package com.cryptoml.inference.models.export;

import com.cryptoml.inference.models.metadata.FeatureStats;
import com.cryptoml.inference.models.metadata.Histogram;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.OutputSpec;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes an MLflow model directory: the {@code MLmodel} file (tensorflow flavor + inference
 * metadata) beside a SavedModel in {@code tfmodel/}, the layout {@code mlflow.tensorflow} uses for
 * SavedModels.
 */
public final class MlModelWriter {
  public static final String SAVED_MODEL_DIR = "tfmodel";
  private static final YAMLMapper YAML =
      YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();

  private MlModelWriter() {}

  /** Writes {@code dir/MLmodel} and {@code dir/tfmodel/} for {@code network}. */
  public static void write(Path dir, DenseNetwork network, ModelMetadata metadata, String runId) throws IOException {
    write(dir, new SavedModelWriter(), network, metadata, runId);
  }

  /** As above, with a configured writer (fault injection in reliability tests). */
  public static void write(Path dir, SavedModelWriter writer, DenseNetwork network, ModelMetadata metadata, String runId)
      throws IOException {
    Files.createDirectories(dir);
    writer
        .inputName(metadata.inputTensor())
        .outputName(metadata.output().tensor())
        .signatureKey(metadata.signatureDefKey().orElse("serving_default"))
        .write(network, dir.resolve(SAVED_MODEL_DIR));
    writeMlModel(dir, metadata, runId);
  }

  public static void writeMlModel(Path dir, ModelMetadata metadata, String runId) throws IOException {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("artifact_path", dir.getFileName().toString());
    ObjectNode tf = root.putObject("flavors").putObject("tensorflow");
    tf.put("saved_model_dir", SAVED_MODEL_DIR);
    tf.putArray("meta_graph_tags").add("serve");
    tf.put("signature_def_key", metadata.signatureDefKey().orElse("serving_default"));
    root.put("mlflow_version", "2.17.2");
    root.put("run_id", runId);
    root.set("metadata", toNode(metadata));
    Files.writeString(dir.resolve("MLmodel"), YAML.writeValueAsString(root));
  }

  /** The {@code metadata:} mapping, the inverse of {@link ModelMetadata#parse}. */
  public static ObjectNode toNode(ModelMetadata m) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("model_id", m.modelId());
    node.put("model_type", m.modelType().code());
    node.put("timeframe", m.timeframe().code());
    ArrayNode features = node.putArray("features");
    m.features().forEach(features::add);
    node.put("lookback", m.lookback());
    node.put("horizon_bars", m.horizonBars());
    ObjectNode norm = node.putObject("normalization");
    for (Map.Entry<String, FeatureStats> e : m.normalization().entrySet()) {
      norm.putObject(e.getKey()).put("mean", e.getValue().mean()).put("std", e.getValue().std());
    }
    node.put("input_tensor", m.inputTensor());
    m.signatureDefKey().ifPresent(k -> node.put("signature_def_key", k));
    ObjectNode out = node.putObject("output");
    out.put("kind", m.output().kind().code());
    out.put("tensor", m.output().tensor());
    if (m.output().kind() == OutputSpec.Kind.CLASS_PROBABILITIES) {
      ArrayNode labels = out.putArray("labels");
      m.output().labels().forEach(labels::add);
    } else {
      out.put("long_threshold", m.output().longThreshold());
      out.put("short_threshold", m.output().shortThreshold());
    }
    if (!m.histograms().isEmpty()) {
      ObjectNode hist = node.putObject("training_histograms");
      for (Map.Entry<String, Histogram> e : m.histograms().entrySet()) {
        ObjectNode h = hist.putObject(e.getKey());
        ArrayNode edges = h.putArray("edges");
        for (double v : e.getValue().edges()) {
          edges.add(v);
        }
        ArrayNode fractions = h.putArray("fractions");
        for (double v : e.getValue().fractions()) {
          fractions.add(v);
        }
      }
    }
    return node;
  }
}
