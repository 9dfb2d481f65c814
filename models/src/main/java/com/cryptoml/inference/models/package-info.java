/**
 * Model management without Beam pipelines: registries (MLflow FileStore, MLflow REST, Vertex AI),
 * artifact download and SHA-256 verification, MLmodel metadata, DJL TensorFlow loading, warm-up and
 * the process-wide model cache. See models/README.md.
 */
package com.cryptoml.inference.models;
