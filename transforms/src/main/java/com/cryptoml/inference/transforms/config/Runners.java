package com.cryptoml.inference.transforms.config;

import org.apache.beam.sdk.options.PipelineOptions;

/** Which runner the options name, for the few places that adapt to the Direct runner's cost model. */
public final class Runners {
  private Runners() {}

  /** By class name, so nothing here needs the Direct runner's classes. */
  public static boolean isDirect(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DirectRunner");
  }
}
