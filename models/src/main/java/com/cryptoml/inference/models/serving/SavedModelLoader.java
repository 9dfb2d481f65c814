package com.cryptoml.inference.models.serving;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.tensorflow.engine.TfSymbolBlock;
import ai.djl.util.PairList;
import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.OutputSpec;
import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.models.registry.ModelVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a SavedModel with DJL's TensorFlow engine, checks its signature against the metadata and
 * warms it up. Only a model that passes all three is returned ({@link TensorFlowHandler}).
 */
public final class SavedModelLoader {
  private static final Logger LOG = LoggerFactory.getLogger(SavedModelLoader.class);
  private static volatile String loggedDevice;

  private SavedModelLoader() {}

  /**
   * Opens a SavedModel directory as a DJL model (no checks), for callers that drive the signature
   * themselves, such as the fixture test.
   */
  public static Model open(Path savedModelDir, List<String> tags, String signatureKey, Device device)
      throws IOException, MalformedModelException {
    TensorFlowNatives.install();
    Model model = Model.newInstance(savedModelDir.getFileName().toString(), device, "TensorFlow");
    try {
      model.load(savedModelDir, null, Map.of("Tags", String.join(",", tags), "SignatureDefKey", signatureKey));
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The device to serve on: a GPU when asked for and the engine reports one, else the CPU. */
  public static Device selectDevice(boolean useGpu) {
    TensorFlowNatives.install();
    int gpus = useGpu ? Engine.getEngine("TensorFlow").getGpuCount() : 0;
    Device device = gpus > 0 ? Device.gpu() : Device.cpu();
    String line = "use_gpu=" + useGpu + ", GPUs visible to TensorFlow: " + gpus + ", serving on " + device;
    if (!line.equals(loggedDevice)) {
      loggedDevice = line;
      LOG.info(line);
    }
    return device;
  }

  static ServingModel load(ModelVersion version, ModelMetadata metadata, Path artifactDir, Path savedModelDir,
      List<String> tags, String signatureKey, LoadOptions options, long startNanos) {
    Device device = selectDevice(options.useGpu());
    Model model;
    try {
      model = open(savedModelDir, tags, signatureKey, device);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new ModelRefusedException(version.name(), version.version(), Reason.UNREADABLE_SAVED_MODEL,
          "TensorFlow could not load " + savedModelDir.getFileName() + " with tags " + tags + " and signature '"
              + signatureKey + "': " + e.getMessage(), e);
    }
    TensorFlowServingModel serving = null;
    try {
      int outputIndex = checkSignature(version, metadata, model);
      serving = new TensorFlowServingModel(version, metadata, model, device, outputIndex, artifactDir);
      warmUp(serving, options);
      Duration loadTime = Duration.ofNanos(System.nanoTime() - startNanos);
      serving.markLoaded(loadTime);
      LOG.info("Loaded {} ({}) in {} ms on {}", version, metadata, loadTime.toMillis(), device);
      return serving;
    } catch (RuntimeException e) {
      if (serving != null) {
        serving.close();
      } else {
        model.close();
      }
      throw e;
    }
  }

  /** Returns the index of the metadata's output tensor among the signature's outputs. */
  static int checkSignature(ModelVersion version, ModelMetadata metadata, Model model) {
    if (!(model.getBlock() instanceof TfSymbolBlock block)) {
      throw mismatch(version, "the loaded block is not a TensorFlow SavedModel signature");
    }
    PairList<String, Shape> inputs = block.describeInput();
    if (inputs.size() != 1 || !inputs.get(0).getKey().equals(metadata.inputTensor())) {
      throw mismatch(version, "signature inputs " + inputs.keys() + ", metadata expects exactly ['" + metadata.inputTensor() + "']");
    }
    Shape in = inputs.get(0).getValue();
    long inWidth = in.dimension() == 0 ? -1 : in.get(in.dimension() - 1);
    if (in.dimension() != 2 || (inWidth != -1 && inWidth != metadata.inputWidth())) {
      throw mismatch(version, "input '" + metadata.inputTensor() + "' has shape " + in + ", metadata needs [batch, "
          + metadata.inputWidth() + "] (" + metadata.features().size() + " features x lookback " + metadata.lookback() + ")");
    }
    PairList<String, Shape> outputs = block.describeOutput();
    int index = outputs.keys().indexOf(metadata.output().tensor());
    if (index < 0) {
      throw mismatch(version, "signature outputs " + outputs.keys() + " lack '" + metadata.output().tensor() + "'");
    }
    Shape out = outputs.get(index).getValue();
    long outWidth = out.dimension() == 0 ? -1 : out.get(out.dimension() - 1);
    boolean scalarVector = metadata.output().kind() == OutputSpec.Kind.SCALAR && out.dimension() == 1;
    if (!scalarVector && (out.dimension() != 2 || (outWidth != -1 && outWidth != metadata.output().width()))) {
      throw mismatch(version, "output '" + metadata.output().tensor() + "' has shape " + out + ", metadata needs [batch, "
          + metadata.output().width() + "] for " + metadata.output().kind().code());
    }
    return index;
  }

  /** Runs warm-up batches and checks that what comes out is what the metadata says it is. */
  static void warmUp(TensorFlowServingModel model, LoadOptions options) {
    ModelVersion v = model.version();
    int rows = options.warmupBatchSize();
    SplittableRandom random = new SplittableRandom(42);
    float[] input = new float[rows * model.inputWidth()];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) (random.nextDouble() * 4 - 2); // z-scores of plausible features
    }
    int iterations = Math.max(1, options.warmupIterations());
    for (int it = 0; it < iterations; it++) {
      float[] out;
      try {
        out = model.predict(input, rows);
      } catch (RuntimeException e) {
        throw new ModelRefusedException(v.name(), v.version(), Reason.WARMUP_FAILED, "warm-up batch failed: " + e.getMessage(), e);
      }
      if (it == 0) {
        checkOutputs(model, out, rows);
      }
    }
  }

  private static void checkOutputs(TensorFlowServingModel model, float[] out, int rows) {
    ModelVersion v = model.version();
    OutputSpec spec = model.metadata().output();
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int j = 0; j < spec.width(); j++) {
        float value = out[r * spec.width() + j];
        if (!Float.isFinite(value) || value < -1e-6f || value > 1 + 1e-6f) {
          throw new ModelRefusedException(v.name(), v.version(), Reason.WARMUP_FAILED,
              "warm-up output " + value + " is not a probability in [0, 1]");
        }
        sum += value;
      }
      if (spec.kind() == OutputSpec.Kind.CLASS_PROBABILITIES && Math.abs(sum - 1) > 1e-3) {
        throw new ModelRefusedException(v.name(), v.version(), Reason.WARMUP_FAILED,
            "warm-up class probabilities sum to " + sum + ", not 1");
      }
    }
  }

  private static ModelRefusedException mismatch(ModelVersion v, String detail) {
    return new ModelRefusedException(v.name(), v.version(), Reason.SIGNATURE_MISMATCH, detail);
  }
}
