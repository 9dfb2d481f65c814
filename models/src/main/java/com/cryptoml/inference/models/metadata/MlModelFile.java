package com.cryptoml.inference.models.metadata;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An MLflow {@code MLmodel} file: which flavors the model has, where its SavedModel lives and how to
 * call it, plus the inference metadata.
 *
 * <p>Three TensorFlow flavor layouts that MLflow writes are accepted: {@code saved_model_dir} (with
 * {@code meta_graph_tags}, {@code signature_def_key}), {@code model_type: keras} (SavedModel under
 * {@code <data>/model}) and {@code model_type: tf2-module} ({@code saved_model_dir}). Any other
 * flavor set is refused: this platform serves TensorFlow only. {@code savedModelDir} is relative to
 * the MLflow model directory; {@code signatureDefKey} is the flavor's, which the metadata may override
 * ({@link ModelMetadata#signatureDefKey()}); {@code metadataNode} is the raw {@code metadata:} node, or null.
 */
public record MlModelFile(String savedModelDir, List<String> tags, String signatureDefKey, JsonNode metadataNode) {
  public static final String FILE_NAME = "MLmodel";
  /** Jackson's YAML parser builds only plain trees, never arbitrary classes. */
  private static final YAMLMapper YAML = new YAMLMapper();

  public MlModelFile {
    tags = List.copyOf(tags);
  }

  /** Reads {@code modelDir/MLmodel}; model and version name the refusal when anything is wrong. */
  public static MlModelFile read(Path modelDir, String model, String version) {
    Path file = modelDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new ModelRefusedException(model, version, Reason.MISSING_ARTIFACT, "no MLmodel file in the model artifact");
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelRefusedException(model, version, Reason.INVALID_METADATA, "MLmodel is not valid YAML: " + e.getMessage(), e);
    }
    return parse(root, model, version);
  }

  static MlModelFile parse(JsonNode root, String model, String version) {
    JsonNode flavors = root == null ? null : root.get("flavors");
    if (flavors == null || !flavors.isObject()) {
      throw new ModelRefusedException(model, version, Reason.INVALID_METADATA, "MLmodel has no 'flavors' mapping");
    }
    JsonNode tf = flavors.get("tensorflow");
    List<String> names = new ArrayList<>();
    flavors.fieldNames().forEachRemaining(names::add);
    if (tf != null && !tf.isObject()) {
      throw new ModelRefusedException(model, version, Reason.INVALID_METADATA,
          "MLmodel's 'tensorflow' flavor is " + (tf.isNull() ? "empty (tensorflow: null)" : "not a mapping (" + tf + ")")
              + "; it needs saved_model_dir, meta_graph_tags and signature_def_key");
    }
    if (tf == null) {
      String hint = names.contains("keras")
          ? "; MLflow's keras flavor stores a Keras file, which is not served: export a SavedModel and log it with the tensorflow flavor"
          : "; this platform serves TensorFlow SavedModels only";
      throw new ModelRefusedException(model, version, Reason.UNSUPPORTED_FLAVOR,
          "MLmodel has flavors " + names + " but no 'tensorflow' flavor" + hint);
    }
    String modelType = tf.path("model_type").asText("");
    String dir;
    if ("keras".equals(modelType)) {
      // What mlflow.tensorflow.log_model writes for a tf.keras model.
      dir = tf.path("data").asText("data") + "/model";
    } else if (tf.hasNonNull("saved_model_dir")) {
      dir = tf.get("saved_model_dir").asText();
    } else {
      throw new ModelRefusedException(model, version, Reason.INVALID_METADATA,
          "tensorflow flavor needs saved_model_dir or model_type: keras");
    }
    if (dir.isBlank() || dir.startsWith("/") || dir.contains("..") || dir.contains("\\")) {
      throw new ModelRefusedException(model, version, Reason.UNSAFE_PATH, "saved_model_dir '" + dir + "' must be a relative path inside the artifact");
    }
    List<String> tags = new ArrayList<>();
    JsonNode tagNode = tf.get("meta_graph_tags");
    if (tagNode != null && tagNode.isArray()) {
      tagNode.forEach(t -> tags.add(t.asText()));
    }
    if (tags.isEmpty()) {
      tags.add("serve");
    }
    String signature = tf.path("signature_def_key").asText("serving_default");
    return new MlModelFile(dir, tags, signature, root.get("metadata"));
  }
}
