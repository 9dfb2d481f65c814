package com.cryptoml.inference.models.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import com.cryptoml.inference.models.TestModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A SavedModel written by TensorFlow's Python API (with variables, no serving_default signature)
 * loads through the project's loader and answers as its README states.
 */
class TfPythonFixtureTest {
  private static final Path MODEL = TestModels.FIXTURES.resolve("tf-python-savedmodel/model");

  @Test
  void addSignatureAddsItsInputs() throws Exception {
    try (Model model = SavedModelLoader.open(MODEL, List.of("serve"), "add", Device.cpu());
        Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        NDManager m = model.getNDManager().newSubManager()) {
      NDArray a = m.create(new float[] {1, 2});
      a.setName("a");
      NDArray b = m.create(new float[] {10, 20});
      b.setName("b");
      assertArrayEquals(new float[] {11, 22}, predictor.predict(new NDList(a, b)).get(0).toFloatArray());
    }
  }

  @Test
  void variablesAreRestored() throws Exception {
    try (Model model = SavedModelLoader.open(MODEL, List.of("serve"), "get_variable", Device.cpu());
        Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        NDManager m = model.getNDManager().newSubManager()) {
      NDArray dummy = m.create(new float[] {0});
      dummy.setName("dummy");
      assertArrayEquals(new float[] {2.0f}, predictor.predict(new NDList(dummy)).get(0).toFloatArray());
    }
  }
}
