package com.cryptoml.inference.runners.startup;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a starting stream is doing, for {@code /health} while the pipeline does not run yet: the
 * dependency it is waiting for, how many attempts it made and the last error. Written by the
 * starting thread, read by the HTTP server's.
 */
public final class StartupStatus {
  /** One moment of the start: waiting for {@code dependency}, or started when it is null. */
  public record Waiting(@Nullable String dependency, int attempts, @Nullable String lastError, long sinceMillis) {}

  private volatile Waiting current = new Waiting("pipeline start", 0, null, System.currentTimeMillis());

  public Waiting current() {
    return current;
  }

  void waiting(String dependency, int attempts, @Nullable String lastError) {
    long since = dependency.equals(current.dependency()) ? current.sinceMillis() : System.currentTimeMillis();
    current = new Waiting(dependency, attempts, lastError, since);
  }

  public void starting(String what) {
    current = new Waiting(what, 0, null, System.currentTimeMillis());
  }

  public void started() {
    current = new Waiting(null, 0, null, System.currentTimeMillis());
  }
}
