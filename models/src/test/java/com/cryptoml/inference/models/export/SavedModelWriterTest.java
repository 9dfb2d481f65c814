package com.cryptoml.inference.models.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import com.cryptoml.inference.models.TestModels;
import com.cryptoml.inference.models.export.DenseNetwork.Activation;
import com.cryptoml.inference.models.serving.SavedModelLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** SavedModels written from Java protos run in the real TensorFlow runtime like the Java forward pass. */
class SavedModelWriterTest {

  @ParameterizedTest(name = "{0} inputs, {1} hidden, {2} outputs, {3}")
  @CsvSource({"6,0,3,SOFTMAX", "27,16,3,SOFTMAX", "5,0,1,SIGMOID", "8,12,3,NONE"})
  void tensorFlowMatchesJavaForwardPass(int inputs, int hidden, int outputs, Activation last, @TempDir Path dir) throws Exception {
    DenseNetwork net = TestModels.randomNetwork(inputs, hidden, outputs, last, inputs * 31L + hidden);
    new SavedModelWriter().outputName("out").write(net, dir);

    int rows = 64;
    float[] input = new float[rows * inputs];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) (r.nextDouble() * 6 - 3);
    }
    try (Model model = SavedModelLoader.open(dir, List.of("serve"), "serving_default", Device.cpu());
        Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        NDManager manager = model.getNDManager().newSubManager()) {
      NDList out = predictor.predict(new NDList(manager.create(input, new Shape(rows, inputs))));
      float[] tf = out.get(0).toFloatArray();
      assertEquals(rows * outputs, tf.length);
      for (int row = 0; row < rows; row++) {
        float[] x = new float[inputs];
        System.arraycopy(input, row * inputs, x, 0, inputs);
        float[] java = net.forward(x);
        for (int j = 0; j < outputs; j++) {
          assertEquals(java[j], tf[row * outputs + j], 1e-5 * Math.max(1, Math.abs(java[j])), "row " + row + " output " + j);
        }
      }
      out.close();
    }
  }

  @org.junit.jupiter.api.Test
  void faultInjectionCheckNumericsFailsInsideTheRuntimeAndBusyWorkOnlyCostsTime(@TempDir Path fragile, @TempDir Path slow)
      throws Exception {
    DenseNetwork net = TestModels.randomNetwork(3, 0, 3, Activation.SOFTMAX, 5);
    new SavedModelWriter().checkNumerics(true).write(net, fragile);
    new SavedModelWriter().busyWork(600).write(net, slow);
    float[] ok = {0.5f, -1f, 2f};
    float[] bad = {0.5f, Float.POSITIVE_INFINITY, 2f};
    try (Model model = SavedModelLoader.open(fragile, List.of("serve"), "serving_default", Device.cpu());
        Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        NDManager manager = model.getNDManager().newSubManager()) {
      float[] out = predictor.predict(new NDList(manager.create(ok, new Shape(1, 3)))).get(0).toFloatArray();
      assertEquals(net.forward(ok)[0], out[0], 1e-5);
      Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
          () -> predictor.predict(new NDList(manager.create(bad, new Shape(1, 3)))));
      org.junit.jupiter.api.Assertions.assertTrue(String.valueOf(e.getMessage()).contains("input is not finite"), e.getMessage());
    }
    try (Model model = SavedModelLoader.open(slow, List.of("serve"), "serving_default", Device.cpu());
        Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        NDManager manager = model.getNDManager().newSubManager()) {
      float[] out = predictor.predict(new NDList(manager.create(ok, new Shape(1, 3)))).get(0).toFloatArray();
      for (int j = 0; j < 3; j++) {
        assertEquals(net.forward(ok)[j], out[j], 1e-5);
      }
    }
  }
}
