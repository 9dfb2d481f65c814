package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.transforms.config.ImputationPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds one model's input for one bar from the key's history, filling missing values, and decides
 * whether it can be built yet. Pure logic, so it can be tested without a pipeline.
 *
 * <p>Determinism is the point: the input depends only on bars that have arrived or are known to be
 * missing (the watermark passed them plus the allowed lateness). If a bar the input needs is
 * neither, the answer is "wait", never a guess, so a backfill in any order and a live stream with
 * out-of-order bars compute the same inputs.
 *
 * <p>Window: the {@code lookback} bars on the timeframe's grid ending at the bar, oldest first. A
 * missing value (or a whole missing bar) is forward-filled from the key's latest earlier bar that has
 * it, at most {@code forwardFillBars} bars back and never older than {@code max_feature_age}; else
 * the training mean; per {@link ImputationPolicy}. Too many imputed values skips the model.
 */
public final class InputAssembler {
  /** Outcome kinds. */
  public enum Status {
    READY,
    WAIT,
    INCOMPLETE
  }

  /** The result: values and imputed names when READY, the awaited bar time when WAIT, a reason when INCOMPLETE. */
  public record Outcome(Status status, double[] values, List<String> imputed, long waitFor, String detail) {
    static Outcome waitFor(long slot) {
      return new Outcome(Status.WAIT, null, List.of(), slot, null);
    }

    static Outcome incomplete(String detail) {
      return new Outcome(Status.INCOMPLETE, null, List.of(), 0, detail);
    }
  }

  private final long barMillis;
  private final long latenessMillis;
  private final long maxAgeMillis;
  private final int forwardFillBars;
  private final ImputationPolicy policy;
  private final double maxImputedFraction;
  private final long maxDisorderMillis;

  public InputAssembler(long barMillis, long latenessMillis, long maxAgeMillis, int forwardFillBars,
      ImputationPolicy policy, double maxImputedFraction) {
    this(barMillis, latenessMillis, maxAgeMillis, forwardFillBars, policy, maxImputedFraction, Long.MAX_VALUE);
  }

  /** @param maxDisorderMillis how far behind its key's newest bar a bar may still arrive (no limit: Long.MAX_VALUE) */
  public InputAssembler(long barMillis, long latenessMillis, long maxAgeMillis, int forwardFillBars,
      ImputationPolicy policy, double maxImputedFraction, long maxDisorderMillis) {
    this.barMillis = barMillis;
    this.latenessMillis = latenessMillis;
    this.maxAgeMillis = maxAgeMillis;
    this.forwardFillBars = forwardFillBars;
    this.policy = policy;
    this.maxImputedFraction = maxImputedFraction;
    this.maxDisorderMillis = maxDisorderMillis;
  }

  /** How far back (in time) any input of these models can reach from its bar. */
  public long reachMillis(List<RoutedModel> routes) {
    int lookback = 1;
    for (RoutedModel r : routes) {
      lookback = Math.max(lookback, r.lookback());
    }
    return (lookback - 1 + (policy.forwardFills() ? forwardFillBars : 0)) * barMillis;
  }

  /**
   * True when the slot's bar has not arrived and never will on time: the watermark passed it plus the
   * allowed lateness, or the key's newest bar is so much newer that the bar would arrive late (the
   * source's watermark trails the newest bar by at most the disorder, so such a bar is dead-lettered
   * as late whenever it comes).
   */
  boolean knownMissing(KeyHistory h, long slot) {
    return slot + latenessMillis <= h.resolvedUpTo()
        || (maxDisorderMillis != Long.MAX_VALUE && h.newestSeen() != Long.MIN_VALUE
            && slot + latenessMillis + maxDisorderMillis <= h.newestSeen());
  }

  public Outcome assemble(KeyHistory h, int bar, RoutedModel m) {
    long t = h.time(bar);
    int features = m.features().size();
    int lookback = m.lookback();
    int[] fi = new int[features];
    for (int j = 0; j < features; j++) {
      fi[j] = h.featureIndex(m.features().get(j));
    }
    double[] out = new double[lookback * features];
    Set<String> imputed = new LinkedHashSet<>();
    int imputedCount = 0;
    long waitFor = Long.MIN_VALUE;
    String incomplete = null;
    for (int b = 0; b < lookback; b++) {
      long slot = t - (long) (lookback - 1 - b) * barMillis;
      int idx = b == lookback - 1 ? bar : h.indexOf(slot);
      if (idx < 0 && !knownMissing(h, slot)) {
        waitFor = Math.max(waitFor, slot);
        continue;
      }
      for (int j = 0; j < features; j++) {
        double v = idx >= 0 ? h.value(idx, fi[j]) : Double.NaN;
        if (!Double.isNaN(v)) {
          out[b * features + j] = v;
          continue;
        }
        imputedCount++;
        String name = m.features().get(j);
        if (policy.forwardFills()) {
          long[] found = new long[1];
          double filled = forwardFill(h, t, slot, fi[j], found);
          if (found[0] != Long.MIN_VALUE && Double.isNaN(filled)) {
            waitFor = Math.max(waitFor, found[0]); // an earlier bar that may still arrive
            continue;
          }
          if (!Double.isNaN(filled)) {
            out[b * features + j] = filled;
            imputed.add(name);
            continue;
          }
        }
        if (policy.usesMean()) {
          out[b * features + j] = m.means()[j];
          imputed.add(name);
        } else if (incomplete == null) {
          incomplete = "feature " + name + " is missing at bar " + new org.joda.time.Instant(slot)
              + " and imputation policy " + policy + " has no value for it";
        }
      }
    }
    if (waitFor != Long.MIN_VALUE) {
      return Outcome.waitFor(waitFor);
    }
    if (incomplete != null) {
      return Outcome.incomplete(incomplete);
    }
    if (imputedCount > maxImputedFraction * out.length) {
      return Outcome.incomplete(imputedCount + " of " + out.length + " input values would be imputed (more than "
          + Math.round(maxImputedFraction * 100) + "%)");
    }
    return new Outcome(Status.READY, out, new ArrayList<>(imputed), 0, null);
  }

  /**
   * The latest earlier value of a feature within reach. Returns NaN with {@code unresolved[0]} set to
   * the bar time to wait for when an earlier bar might still arrive; NaN with MIN_VALUE when none.
   */
  private double forwardFill(KeyHistory h, long barTime, long slot, int feature, long[] unresolved) {
    unresolved[0] = Long.MIN_VALUE;
    for (int k = 1; k <= forwardFillBars; k++) {
      long s = slot - k * barMillis;
      if (barTime - s > maxAgeMillis) {
        break;
      }
      int idx = h.indexOf(s);
      if (idx < 0) {
        if (!knownMissing(h, s)) {
          unresolved[0] = s;
          return Double.NaN;
        }
        continue;
      }
      double v = h.value(idx, feature);
      if (!Double.isNaN(v)) {
        return v;
      }
    }
    return Double.NaN;
  }
}
