package com.cryptoml.inference.runners.ops;

import com.cryptoml.inference.transforms.config.InferenceOptions;

/** {@code ./inference config}: every setting, plus how to print them. */
public interface ConfigOptions extends InferenceOptions, OutputOptions {}
