package com.cryptoml.inference.models.serving;

import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * How model versions are prepared for serving: where artifacts are cached locally, how the model is
 * warmed up ({@code warmup_iterations} batches of {@code batch_size} rows) and whether to ask for a
 * GPU ({@code use_gpu}).
 */
public record LoadOptions(String artifactCacheDir, int warmupIterations, int warmupBatchSize, boolean useGpu)
    implements Serializable {

  public LoadOptions {
    if (warmupIterations < 0 || warmupBatchSize < 1) {
      throw new IllegalArgumentException("warmup_iterations must be >= 0 and batch_size >= 1");
    }
  }

  public static LoadOptions defaults() {
    return new LoadOptions(defaultCacheDir().toString(), 100, 32, false);
  }

  public static Path defaultCacheDir() {
    return Paths.get(System.getProperty("java.io.tmpdir"), "crypto-inference", "artifacts");
  }

  public LoadOptions withWarmup(int iterations, int batchSize) {
    return new LoadOptions(artifactCacheDir, iterations, batchSize, useGpu);
  }

  public LoadOptions withCacheDir(String dir) {
    return new LoadOptions(dir, warmupIterations, warmupBatchSize, useGpu);
  }
}
