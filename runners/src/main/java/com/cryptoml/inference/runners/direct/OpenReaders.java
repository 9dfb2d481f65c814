package com.cryptoml.inference.runners.direct;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readers {@link BatchedUnboundedSource} opened, by the id of their pipeline's options, so that a
 * cancelled pipeline's readers can be closed: the Direct runner does not close them, and a Kafka reader
 * left open keeps its consumer polling, and logging, for as long as the JVM lives (a benchmark or a
 * test runs many pipelines in one JVM).
 */
final class OpenReaders {
  private static final Logger LOG = LoggerFactory.getLogger(OpenReaders.class);
  private static final Map<UnboundedReader<?>, Long> OPEN = new ConcurrentHashMap<>();

  private OpenReaders() {}

  static void opened(UnboundedReader<?> reader, long pipeline) {
    OPEN.put(reader, pipeline);
  }

  /** Closes {@code reader} and forgets it. */
  static void close(UnboundedReader<?> reader) {
    OPEN.remove(reader);
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing an unbounded reader failed", e);
    }
  }

  /** Closes every reader still open for the pipeline whose options have the id {@code pipeline}; how many. */
  static int closeAll(long pipeline) {
    int closed = 0;
    for (Map.Entry<UnboundedReader<?>, Long> e : OPEN.entrySet()) {
      if (e.getValue() == pipeline) {
        close(e.getKey());
        closed++;
      }
    }
    return closed;
  }

  /** How many readers are open for the pipeline {@code pipeline}; for tests. */
  static long count(long pipeline) {
    return OPEN.values().stream().filter(p -> p == pipeline).count();
  }
}
