package com.cryptoml.inference.transforms.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an options getter as a setting of the configuration files: its key there ({@code
 * inference_config.batch_size}), its default, what it allows and its bounds. The options interfaces
 * are the one declaration of every setting; the files, the command line, the reference table in
 * docs/configuration.md and {@code ./inference config} are all read from these annotations.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Setting {
  /** {@code section.name} as the configuration files write it. */
  String key();

  /** The value when neither a file nor the command line sets it, as it would be written ("7d", "32"). */
  String defaultValue();

  /** What the value may be, in words, for the reference table and error messages ("int >= 1"). */
  String allowed();

  /** Smallest allowed number (numbers only). */
  double min() default Double.NEGATIVE_INFINITY;

  /** Largest allowed number (numbers only). */
  double max() default Double.POSITIVE_INFINITY;
}
