package com.cryptoml.inference.models.export;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.framework.AttrValue;
import org.tensorflow.proto.framework.DataType;
import org.tensorflow.proto.framework.GraphDef;
import org.tensorflow.proto.framework.MetaGraphDef;
import org.tensorflow.proto.framework.NodeDef;
import org.tensorflow.proto.framework.SavedModel;
import org.tensorflow.proto.framework.SignatureDef;
import org.tensorflow.proto.framework.TensorInfo;
import org.tensorflow.proto.framework.TensorProto;
import org.tensorflow.proto.framework.TensorShapeProto;
import org.tensorflow.proto.framework.VersionDef;

/**
 * Writes a {@link DenseNetwork} as a TensorFlow SavedModel with TensorFlow's own protos: a frozen
 * graph (weights as Const nodes, so no variables checkpoint), tag {@code serve}, one signature.
 * The TensorFlow runtime loads it like any SavedModel written by Python.
 */
public final class SavedModelWriter {
  /** GraphDef producer version of TensorFlow 2.10 era graphs; any value the runtime accepts. */
  private static final int GRAPH_PRODUCER = 1205;

  private String signatureKey = "serving_default";
  private String inputName = "features";
  private String outputName = "probabilities";

  public SavedModelWriter signatureKey(String key) {
    this.signatureKey = key;
    return this;
  }

  public SavedModelWriter inputName(String name) {
    this.inputName = name;
    return this;
  }

  public SavedModelWriter outputName(String name) {
    this.outputName = name;
    return this;
  }

  /**
   * Writes {@code dir/saved_model.pb}, creating {@code dir}. No {@code variables/} directory: the
   * weights are constants, and git would not keep an empty directory anyway.
   */
  public void write(DenseNetwork network, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("saved_model.pb"), toSavedModel(network).toByteArray());
  }

  SavedModel toSavedModel(DenseNetwork network) {
    GraphDef.Builder graph = GraphDef.newBuilder();
    graph.setVersions(VersionDef.newBuilder().setProducer(GRAPH_PRODUCER).build());
    graph.addNode(
        NodeDef.newBuilder()
            .setName(inputName)
            .setOp("Placeholder")
            .putAttr("dtype", type(DataType.DT_FLOAT))
            .putAttr("shape", AttrValue.newBuilder().setShape(shape(-1, network.inputWidth())).build()));

    String x = inputName;
    int index = 0;
    for (DenseNetwork.Layer layer : network.layers()) {
      String prefix = "dense_" + index;
      boolean last = index == network.layers().size() - 1;
      graph.addNode(constant(prefix + "/kernel", layer.weights()));
      graph.addNode(constant(prefix + "/bias", layer.bias()));
      graph.addNode(op("MatMul", prefix + "/MatMul", x, prefix + "/kernel")
          .putAttr("transpose_a", AttrValue.newBuilder().setB(false).build())
          .putAttr("transpose_b", AttrValue.newBuilder().setB(false).build()));
      String affine = prefix + "/BiasAdd";
      graph.addNode(op("BiasAdd", affine, prefix + "/MatMul", prefix + "/bias")
          .putAttr("data_format", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("NHWC")).build()));
      String activated = last ? outputName : prefix + "/act";
      graph.addNode(activation(layer.activation(), activated, affine));
      x = activated;
      index++;
    }

    SignatureDef signature =
        SignatureDef.newBuilder()
            .putInputs(inputName, tensorInfo(inputName, network.inputWidth()))
            .putOutputs(outputName, tensorInfo(outputName, network.outputWidth()))
            .setMethodName("tensorflow/serving/predict")
            .build();
    MetaGraphDef meta =
        MetaGraphDef.newBuilder()
            .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve").setTensorflowVersion("2.10.1"))
            .setGraphDef(graph)
            .putSignatureDef(signatureKey, signature)
            .build();
    return SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build();
  }

  private static NodeDef.Builder activation(DenseNetwork.Activation activation, String name, String input) {
    switch (activation) {
      case NONE:
        return op("Identity", name, input);
      case RELU:
        return op("Relu", name, input);
      case SOFTMAX:
        return op("Softmax", name, input);
      case SIGMOID:
        return op("Sigmoid", name, input);
      default:
        throw new IllegalArgumentException(activation.name());
    }
  }

  private static NodeDef.Builder op(String op, String name, String... inputs) {
    NodeDef.Builder node = NodeDef.newBuilder().setName(name).setOp(op).putAttr("T", type(DataType.DT_FLOAT));
    for (String input : inputs) {
      node.addInput(input);
    }
    return node;
  }

  private static NodeDef constant(String name, float[][] matrix) {
    int rows = matrix.length;
    int cols = matrix[0].length;
    ByteBuffer buffer = ByteBuffer.allocate(rows * cols * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : matrix) {
      for (float v : row) {
        buffer.putFloat(v);
      }
    }
    return constant(name, shape(rows, cols), buffer);
  }

  private static NodeDef constant(String name, float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      buffer.putFloat(v);
    }
    return constant(name, shape(vector.length), buffer);
  }

  private static NodeDef constant(String name, TensorShapeProto shape, ByteBuffer littleEndian) {
    littleEndian.flip();
    TensorProto tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(shape)
            .setTensorContent(ByteString.copyFrom(littleEndian))
            .build();
    return NodeDef.newBuilder()
        .setName(name)
        .setOp("Const")
        .putAttr("dtype", type(DataType.DT_FLOAT))
        .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build())
        .build();
  }

  private static TensorInfo tensorInfo(String node, int width) {
    return TensorInfo.newBuilder()
        .setName(node + ":0")
        .setDtype(DataType.DT_FLOAT)
        .setTensorShape(shape(-1, width))
        .build();
  }

  private static AttrValue type(DataType type) {
    return AttrValue.newBuilder().setType(type).build();
  }

  private static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return shape.build();
  }
}
