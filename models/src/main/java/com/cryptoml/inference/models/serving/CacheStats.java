package com.cryptoml.inference.models.serving;

/**
 * Counters of the model cache since the JVM started.
 *
 * @param hits acquisitions served by a model already loaded (or loading)
 * @param misses acquisitions that had to load
 * @param loads successful loads
 * @param loadFailures refused versions
 * @param evictions models dropped to stay within capacity
 * @param loadMillis total time spent preparing models
 * @param size models currently held
 */
public record CacheStats(long hits, long misses, long loads, long loadFailures, long evictions, long loadMillis, int size) {
  public double hitRate() {
    long total = hits + misses;
    return total == 0 ? 0 : (double) hits / total;
  }
}
