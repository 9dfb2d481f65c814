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
  private boolean checkNumerics;
  private int busyWorkSize;

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
   * Fault injection for reliability tests: the graph checks its input with TensorFlow's
   * {@code CheckNumerics}, so a non-finite input value makes the model call fail inside the runtime.
   */
  public SavedModelWriter checkNumerics(boolean on) {
    this.checkNumerics = on;
    return this;
  }

  /**
   * Fault injection for timeout tests: every call also multiplies two {@code n x n} matrices (filled
   * with the input's mean) and adds 1e-30 times the result's mean to the logits, so the outputs are
   * unchanged but a call takes as long as that product.
   */
  public SavedModelWriter busyWork(int n) {
    this.busyWorkSize = n;
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
    if (checkNumerics) {
      graph.addNode(op("CheckNumerics", "input_check", inputName)
          .putAttr("message", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("input is not finite")).build()));
      x = "input_check";
    }
    String zero = busyWorkSize > 0 ? addBusyWork(graph, busyWorkSize) : null;
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
      if (last && zero != null) {
        graph.addNode(op("AddV2", prefix + "/busy", affine, zero));
        affine = prefix + "/busy";
      }
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

  /** Adds the busy-work subgraph; returns the name of its scalar zero. */
  private String addBusyWork(GraphDef.Builder graph, int n) {
    graph.addNode(intConstant("busy/axes", 0, 1));
    graph.addNode(op("Mean", "busy/mean", inputName, "busy/axes")
        .putAttr("Tidx", type(DataType.DT_INT32)).putAttr("keep_dims", AttrValue.newBuilder().setB(false).build()));
    graph.addNode(intConstant("busy/dims", n, n));
    graph.addNode(NodeDef.newBuilder().setName("busy/fill").setOp("Fill").addInput("busy/dims").addInput("busy/mean")
        .putAttr("T", type(DataType.DT_FLOAT)).putAttr("index_type", type(DataType.DT_INT32)));
    graph.addNode(op("MatMul", "busy/product", "busy/fill", "busy/fill")
        .putAttr("transpose_a", AttrValue.newBuilder().setB(false).build())
        .putAttr("transpose_b", AttrValue.newBuilder().setB(false).build()));
    graph.addNode(op("Mean", "busy/total", "busy/product", "busy/axes")
        .putAttr("Tidx", type(DataType.DT_INT32)).putAttr("keep_dims", AttrValue.newBuilder().setB(false).build()));
    // Not zero: TensorFlow's optimizer would fold x * 0 and prune the product. 1e-30 of the result
    // is far below a float ulp of the logits, so the outputs are unchanged.
    graph.addNode(constant("busy/zero_factor", new float[] {1e-30f}));
    graph.addNode(op("Mul", "busy/zero", "busy/total", "busy/zero_factor"));
    return "busy/zero";
  }

  private static NodeDef intConstant(String name, int... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(values.length));
    for (int v : values) {
      t.addIntVal(v);
    }
    return NodeDef.newBuilder().setName(name).setOp("Const")
        .putAttr("dtype", type(DataType.DT_INT32))
        .putAttr("value", AttrValue.newBuilder().setTensor(t).build())
        .build();
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
