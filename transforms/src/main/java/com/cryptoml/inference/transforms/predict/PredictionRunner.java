package com.cryptoml.inference.transforms.predict;

import com.cryptoml.inference.models.serving.ModelCache;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs model calls with the request's two limits, per JVM: at most {@code max_concurrent_predictions}
 * rows in flight, and {@code prediction_timeout_ms} per call. A call that times out keeps running
 * (TensorFlow calls cannot be interrupted) but its lease and permits are returned only when it
 * ends, so a hung model cannot take more than its share.
 */
final class PredictionRunner {
  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "model-call");
    t.setDaemon(true);
    return t;
  });
  private static final Object LOCK = new Object();
  private static Semaphore permits;
  private static int permitCount;

  private PredictionRunner() {}

  /** Rows inside model calls in this JVM now. */
  static int inFlight() {
    synchronized (LOCK) {
      return permits == null ? 0 : permitCount - permits.availablePermits();
    }
  }

  /** The JVM's permit pool; the first caller sizes it, a later caller asking for more grows it. */
  static Semaphore permits(int maxConcurrentPredictions) {
    synchronized (LOCK) {
      if (permits == null) {
        permits = new Semaphore(maxConcurrentPredictions, true);
        permitCount = maxConcurrentPredictions;
      } else if (maxConcurrentPredictions > permitCount) {
        permits.release(maxConcurrentPredictions - permitCount);
        permitCount = maxConcurrentPredictions;
      }
      return permits;
    }
  }

  /** Outcome of one call. */
  enum Status {
    OK,
    ERROR,
    TIMEOUT
  }

  record Call(Status status, float[] outputs, String error, long micros) {}

  static Call run(ModelCache.Lease lease, float[] input, int rows, int maxConcurrent, int timeoutMs) {
    Semaphore pool = permits(maxConcurrent);
    int need = Math.min(rows, maxConcurrent);
    long start = System.nanoTime();
    try {
      if (!pool.tryAcquire(need, timeoutMs, TimeUnit.MILLISECONDS)) {
        lease.close();
        return new Call(Status.TIMEOUT, null, "no capacity within " + timeoutMs + " ms (max_concurrent_predictions "
            + maxConcurrent + ")", micros(start));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lease.close();
      return new Call(Status.ERROR, null, "interrupted", micros(start));
    }
    CompletableFuture<float[]> call = CompletableFuture.supplyAsync(() -> lease.model().predict(input, rows), EXECUTOR);
    call.whenComplete((r, e) -> {
      pool.release(need);
      lease.close();
    });
    long remaining = Math.max(1, timeoutMs - (System.nanoTime() - start) / 1_000_000);
    try {
      return new Call(Status.OK, call.get(remaining, TimeUnit.MILLISECONDS), null, micros(start));
    } catch (TimeoutException e) {
      return new Call(Status.TIMEOUT, null, "model call exceeded prediction_timeout_ms " + timeoutMs, micros(start));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Call(Status.ERROR, null, cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage()), micros(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Call(Status.ERROR, null, "interrupted", micros(start));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 500 ? line.substring(0, 500) + "..." : line;
  }

  private static long micros(long startNanos) {
    return (System.nanoTime() - startNanos) / 1000;
  }
}
