package com.cryptoml.inference.devtools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU taken over an interval, by this JVM and by the whole machine ({@code /proc/stat}), in cores. On a
 * 2-core machine the benchmark's latency depends on how much of the machine is left, and the Direct
 * runner's driver loop takes CPU even when a stream is idle, so each stream run reports both.
 */
final class CpuUse {
  // Columns of /proc/stat's "cpu" line: user nice system idle iowait irq softirq steal (guest time is in user).
  private static final int IDLE = 3;
  private static final int IOWAIT = 4;
  private static final int STEAL = 7;

  /** Cores used over the interval; the machine's figures are NaN where {@code /proc/stat} cannot be read. */
  record Share(double jvmCores, double machineCores, double stealCores, int cores) {
    @Override
    public String toString() {
      return Double.isNaN(machineCores)
          ? String.format("this JVM %.2f cores", jvmCores)
          : String.format("this JVM %.2f cores, machine %.2f of %d busy, steal %.2f", jvmCores, machineCores, cores, stealCores);
    }
  }

  private final long wallNanos;
  private final long jvmNanos;
  private final long[] machineTicks;

  private CpuUse(long wallNanos, long jvmNanos, long[] machineTicks) {
    this.wallNanos = wallNanos;
    this.jvmNanos = jvmNanos;
    this.machineTicks = machineTicks;
  }

  static CpuUse now() {
    return new CpuUse(System.nanoTime(), jvmCpuNanos(), machineTicks());
  }

  /** The CPU used from this reading to now. */
  Share since() {
    CpuUse end = now();
    double wall = end.wallNanos - wallNanos;
    double jvm = (end.jvmNanos - jvmNanos) / wall;
    int cores = Runtime.getRuntime().availableProcessors();
    if (machineTicks == null || end.machineTicks == null) {
      return new Share(jvm, Double.NaN, Double.NaN, cores);
    }
    long busy = 0;
    long total = 0;
    for (int i = 0; i < machineTicks.length; i++) {
      long d = end.machineTicks[i] - machineTicks[i];
      total += d;
      if (i != IDLE && i != IOWAIT) {
        busy += d;
      }
    }
    double perCore = total == 0 ? 0 : (double) cores / total;
    return new Share(jvm, busy * perCore, (end.machineTicks[STEAL] - machineTicks[STEAL]) * perCore, cores);
  }

  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long[] ticks = new long[8];
      for (int i = 0; i < ticks.length; i++) {
        ticks[i] = Long.parseLong(f[i + 1]);
      }
      return ticks;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long jvmCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }
}
