package com.cryptoml.inference.models.serving;

import com.cryptoml.inference.models.metadata.OutputSpec;

/**
 * What a served model takes and gives per row: one input tensor of {@code inputWidth} floats
 * (features x lookback, oldest bar first) and one output tensor of {@code outputWidth} floats read as
 * {@code outputKind}.
 */
public record ModelSignature(String inputTensor, int inputWidth, String outputTensor, int outputWidth, OutputSpec.Kind outputKind) {}
