package com.cryptoml.inference.transforms.config;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Resources the inference step of one model type asks the runner for: an accelerator (Dataflow's
 * {@code type:nvidia-tesla-t4;count:1;install-nvidia-driver}) and a minimum of RAM ({@code 16GB}).
 * Runners that do not support resource hints ignore them.
 */
public record ResourceHintSpec(@Nullable String accelerator, @Nullable String minRam) implements Serializable {
  public ResourceHints toHints() {
    ResourceHints hints = ResourceHints.create();
    if (accelerator != null) {
      hints = hints.withAccelerator(accelerator);
    }
    if (minRam != null) {
      hints = hints.withMinRam(minRam);
    }
    return hints;
  }
}
