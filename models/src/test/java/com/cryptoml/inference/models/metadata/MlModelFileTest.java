package com.cryptoml.inference.models.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlModelFileTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static MlModelFile parse(String yaml) throws Exception {
    return MlModelFile.parse(YAML.readTree(yaml), "m", "3");
  }

  @Test
  void savedModelDirLayout() throws Exception {
    MlModelFile f = parse("flavors:\n  tensorflow:\n    saved_model_dir: tfmodel\n    meta_graph_tags: [serve, gpu]\n"
        + "    signature_def_key: predict\nmetadata:\n  model_id: m\n");
    assertEquals("tfmodel", f.savedModelDir());
    assertEquals(List.of("serve", "gpu"), f.tags());
    assertEquals("predict", f.signatureDefKey());
    assertEquals("m", f.metadataNode().get("model_id").asText());
  }

  @Test
  void kerasLayoutThatMlflowWrites() throws Exception {
    MlModelFile f = parse("flavors:\n  python_function:\n    loader_module: mlflow.tensorflow\n  tensorflow:\n"
        + "    code: null\n    data: data\n    keras_version: 2.15.0\n    model_type: keras\n    save_format: tf\n");
    assertEquals("data/model", f.savedModelDir());
    assertEquals(List.of("serve"), f.tags());
    assertEquals("serving_default", f.signatureDefKey());
  }

  @Test
  void tf2ModuleLayout() throws Exception {
    MlModelFile f = parse("flavors:\n  tensorflow:\n    model_type: tf2-module\n    saved_model_dir: tf2model\n");
    assertEquals("tf2model", f.savedModelDir());
  }

  @Test
  void nonTensorFlowFlavorsAreRefusedNamingTheFlavors() {
    ModelRefusedException e = assertThrows(ModelRefusedException.class, () -> parse(
        "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    pickled_model: model.pkl\n"));
    assertEquals(Reason.UNSUPPORTED_FLAVOR, e.reason());
    assertTrue(e.getMessage().contains("[python_function, sklearn]"), e.getMessage());
    assertTrue(e.getMessage().contains("Refusing model m version 3"), e.getMessage());
  }

  @Test
  void savedModelDirMayNotEscapeTheArtifact() {
    for (String dir : List.of("../../etc", "/etc/passwd", "a/../../b", "C:\\\\x")) {
      ModelRefusedException e = assertThrows(ModelRefusedException.class,
          () -> parse("flavors:\n  tensorflow:\n    saved_model_dir: \"" + dir + "\"\n"), dir);
      assertEquals(Reason.UNSAFE_PATH, e.reason(), dir);
    }
  }
}
