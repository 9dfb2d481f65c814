package com.cryptoml.inference.testdata;

import com.cryptoml.inference.models.export.DenseNetwork;
import com.cryptoml.inference.models.export.DenseNetwork.Activation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.proto.framework.NodeDef;
import org.tensorflow.proto.framework.SavedModel;
import org.tensorflow.proto.framework.TensorProto;

/** Reads the dense layers back out of a committed SavedModel's graph, for the Java reference pass. */
final class GraphWeights {
  private GraphWeights() {}

  static DenseNetwork read(Path savedModelDir) throws Exception {
    SavedModel saved = SavedModel.parseFrom(Files.readAllBytes(savedModelDir.resolve("saved_model.pb")));
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : saved.getMetaGraphs(0).getGraphDef().getNodeList()) {
      nodes.put(n.getName(), n);
    }
    DenseNetwork.Builder b = new DenseNetwork.Builder();
    for (int i = 0; nodes.containsKey("dense_" + i + "/kernel"); i++) {
      TensorProto kernel = nodes.get("dense_" + i + "/kernel").getAttrOrThrow("value").getTensor();
      TensorProto bias = nodes.get("dense_" + i + "/bias").getAttrOrThrow("value").getTensor();
      int rows = (int) kernel.getTensorShape().getDim(0).getSize();
      int cols = (int) kernel.getTensorShape().getDim(1).getSize();
      float[] k = floats(kernel);
      float[][] w = new float[rows][cols];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(k, r * cols, w[r], 0, cols);
      }
      String affine = "dense_" + i + "/BiasAdd";
      NodeDef act = nodes.values().stream().filter(n -> n.getInputList().contains(affine)).findFirst().orElseThrow();
      b.add(w, floats(bias), switch (act.getOp()) {
        case "Relu" -> Activation.RELU;
        case "Softmax" -> Activation.SOFTMAX;
        case "Sigmoid" -> Activation.SIGMOID;
        default -> Activation.NONE;
      });
    }
    return b.build();
  }

  private static float[] floats(TensorProto t) {
    ByteBuffer buf = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[buf.remaining() / Float.BYTES];
    buf.asFloatBuffer().get(out);
    return out;
  }
}
