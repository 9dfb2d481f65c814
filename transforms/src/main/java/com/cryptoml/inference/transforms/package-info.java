/**
 * The inference path that batch and streaming share: value types, parse, validate, lookback history
 * with imputation and routing, batched prediction, prediction events, dead letters and metrics. The
 * composite {@link com.cryptoml.inference.transforms.InferenceTransform} strings them together.
 */
package com.cryptoml.inference.transforms;
