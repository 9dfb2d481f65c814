package com.cryptoml.inference.transforms.config;

import java.io.Serializable;
import java.util.regex.Pattern;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Resources the inference step of one model type asks the runner for: an accelerator (Dataflow's
 * {@code type:nvidia-tesla-t4;count:1;install-nvidia-driver}) and a minimum of RAM ({@code 16GB}).
 * Runners that do not support resource hints ignore them.
 */
public record ResourceHintSpec(@Nullable String accelerator, @Nullable String minRam) implements Serializable {
  /** Dataflow's accelerator syntax. */
  public static final Pattern ACCELERATOR = Pattern.compile("type:[a-z0-9\\-]+;count:[1-9][0-9]*(;install-nvidia-driver)?");

  public ResourceHintSpec {
    if (accelerator != null && !ACCELERATOR.matcher(accelerator).matches()) {
      throw new IllegalArgumentException("accelerator '" + accelerator + "' is not type:<gpu>;count:<n>[;install-nvidia-driver]");
    }
    if (minRam != null) {
      try {
        ResourceHints.create().withMinRam(minRam);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("min_ram '" + minRam + "' is not a size such as 16GB");
      }
    }
  }

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
