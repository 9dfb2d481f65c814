package com.cryptoml.inference.runners.startup;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits at start for something the stream cannot run without (the broker, the registry): asks, and
 * while the answer is an error says so, records it for {@code /health} and asks again after a delay
 * that doubles from one second up to thirty; gives up with the last error after {@code limit}.
 */
public final class WaitFor {
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofSeconds(30);

  private WaitFor() {}

  /** Thrown when the limit passes: the message names the dependency and its last error. */
  public static final class GaveUp extends RuntimeException {
    GaveUp(String message) {
      super(message);
    }
  }

  /**
   * @param check empty when the dependency answers, else what is wrong
   */
  public static void until(String dependency, Supplier<Optional<String>> check, Duration limit, StartupStatus status,
      PrintStream out) {
    long deadline = System.nanoTime() + limit.toNanos();
    Duration delay = FIRST_DELAY;
    for (int attempt = 1; ; attempt++) {
      Optional<String> problem = check.get();
      if (problem.isEmpty()) {
        if (attempt > 1) {
          out.println(dependency + " answers; starting.");
        }
        return;
      }
      status.waiting(dependency, attempt, problem.get());
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new GaveUp("gave up waiting for " + dependency + " after " + limit.toSeconds() + " s (" + attempt
            + " attempts): " + problem.get());
      }
      Duration wait = Duration.ofNanos(Math.min(delay.toNanos(), left));
      out.printf("Waiting for %s: %s; trying again in %d s (attempt %d).%n", dependency, problem.get(),
          Math.max(1, wait.toSeconds()), attempt);
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GaveUp("interrupted while waiting for " + dependency);
      }
      delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
    }
  }
}
