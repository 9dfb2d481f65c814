package com.cryptoml.inference.runners.ops;

import com.cryptoml.inference.transforms.config.InferenceOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** {@code ./inference models}: which versions the configuration would serve. */
@Description("Models")
public interface ModelsOptions extends InferenceOptions, OutputOptions {
  @Description("Also load each verified version into TensorFlow and run its warm-up, and print how long that took")
  @Default.Boolean(false)
  boolean getLoad();

  void setLoad(boolean value);
}
