package com.cryptoml.inference.models.serving;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.registry.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.proto.framework.DataType;
import org.tensorflow.proto.framework.MetaGraphDef;
import org.tensorflow.proto.framework.SavedModel;
import org.tensorflow.proto.framework.SignatureDef;
import org.tensorflow.proto.framework.TensorInfo;

/**
 * Reads a SavedModel's signatures from {@code saved_model.pb} before TensorFlow loads it: the
 * configured {@code signature_def_key} must exist under the configured tags (DJL would otherwise
 * serve the next signature it finds), and the input the metadata names must be float32, the type
 * the platform feeds (a float64 input would fail at the first prediction instead of at load).
 */
final class SavedModelSignatures {
  private SavedModelSignatures() {}

  static void check(ModelVersion v, Path savedModelDir, List<String> tags, String signatureKey, ModelMetadata metadata) {
    SavedModel saved;
    try (InputStream in = Files.newInputStream(savedModelDir.resolve("saved_model.pb"))) {
      saved = SavedModel.parseFrom(in);
    } catch (IOException e) {
      throw new ModelRefusedException(v.name(), v.version(), Reason.UNREADABLE_SAVED_MODEL,
          "saved_model.pb cannot be parsed: " + e.getMessage(), e);
    }
    MetaGraphDef graph = null;
    List<List<String>> tagSets = new ArrayList<>();
    for (MetaGraphDef g : saved.getMetaGraphsList()) {
      List<String> graphTags = g.getMetaInfoDef().getTagsList();
      tagSets.add(graphTags);
      if (new TreeSet<>(graphTags).equals(new TreeSet<>(tags))) {
        graph = g;
      }
    }
    if (graph == null) {
      throw new ModelRefusedException(v.name(), v.version(), Reason.SIGNATURE_MISMATCH,
          "no meta graph with tags " + tags + " in the SavedModel (it has " + tagSets + ")");
    }
    Map<String, SignatureDef> signatures = graph.getSignatureDefMap();
    SignatureDef signature = signatures.get(signatureKey);
    if (signature == null) {
      throw new ModelRefusedException(v.name(), v.version(), Reason.SIGNATURE_MISMATCH,
          "signature_def_key '" + signatureKey + "' is not in the SavedModel (its signatures: " + new TreeSet<>(signatures.keySet()) + ")");
    }
    TensorInfo input = signature.getInputsMap().get(metadata.inputTensor());
    if (input != null && input.getDtype() != DataType.DT_FLOAT) {
      throw new ModelRefusedException(v.name(), v.version(), Reason.SIGNATURE_MISMATCH,
          "input '" + metadata.inputTensor() + "' of signature '" + signatureKey + "' is " + input.getDtype()
              + "; the platform feeds DT_FLOAT (float32) inputs");
    }
  }
}
