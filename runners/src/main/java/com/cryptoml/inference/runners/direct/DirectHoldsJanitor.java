package com.cryptoml.inference.runners.direct;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the watermark holds the Direct runner leaks on a stream, every few seconds.
 *
 * <p>Why: Beam 2.71.0's Direct runner records, for every bundle a step finishes, a hold keyed by the
 * bundle's key, and releases it only when a later result for the same key says so. Bundles that are
 * not keyed each get a fresh empty key ({@code StructuralKey.empty()}, compared by identity), so each
 * leaves two holds (event time and synchronized processing time) at the end of time that nothing ever
 * removes: thousands of holds a second at 1,000 events/s, so the live heap grows until it is full
 * (docs/decisions/direct-runner-adaptations.md).
 * A hold at the end of time keyed by an empty key never holds a watermark back (the minimum
 * over a step's holds is the end of time when there are none), so removing it changes nothing else.
 *
 * <p>The runner's watermark state is private: this reaches it by reflection, under the same locks
 * the runner takes, and switches itself off with a warning if a Beam upgrade changes it.
 */
public final class DirectHoldsJanitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectHoldsJanitor.class);
  private static final String EMPTY_KEY_CLASS = "org.apache.beam.runners.local.StructuralKey$1";
  private static final String KEYED_HOLD_CLASS = "org.apache.beam.runners.direct.WatermarkManager$KeyedHold";

  /** One step's output watermark (event time or synchronized processing time) and its holds. */
  private record Holds(Object watermark, Map<Object, Object> byKey, NavigableSet<Object> all) {}

  private final PipelineResult result;
  private final List<Holds> holds;
  /** A hold's time ({@code KeyedHold.timestamp}), looked up once: purges read it for every hold. */
  private final Field holdTime;
  private final ScheduledExecutorService timer;

  private DirectHoldsJanitor(PipelineResult result, List<Holds> holds, Field holdTime) {
    this.result = result;
    this.holds = holds;
    this.holdTime = holdTime;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "direct-holds-janitor");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts purging {@code result}'s leaked holds every {@code every} until the pipeline ends, when
   * {@code result} is the Direct runner's; empty otherwise, or when this Beam version's runner is not
   * laid out as expected.
   */
  public static Optional<DirectHoldsJanitor> start(PipelineResult result, Duration every) {
    Optional<DirectHoldsJanitor> janitor = attach(result);
    janitor.ifPresent(j -> j.timer.scheduleWithFixedDelay(j::purgeQuietly, every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS));
    return janitor;
  }

  /** Attaches to {@code result}'s watermark state without scheduling anything (tests purge by hand). */
  static Optional<DirectHoldsJanitor> attach(PipelineResult result) {
    if (!result.getClass().getName().equals("org.apache.beam.runners.direct.DirectRunner$DirectPipelineResult")) {
      return Optional.empty();
    }
    try {
      Object context = field(result, "evaluationContext");
      Object manager = field(context, "watermarkManager");
      List<Holds> holds = new ArrayList<>();
      for (Object wms : ((Map<?, ?>) field(manager, "transformToWatermarks")).values()) {
        for (String name : List.of("outputWatermark", "synchronizedProcessingOutputWatermark")) {
          Object watermark = field(wms, name);
          Object perKey = field(watermark, "holds");
          @SuppressWarnings("unchecked")
          Map<Object, Object> byKey = (Map<Object, Object>) field(perKey, "keyedHolds");
          @SuppressWarnings("unchecked")
          NavigableSet<Object> all = (NavigableSet<Object>) field(perKey, "allHolds");
          holds.add(new Holds(watermark, byKey, all));
        }
      }
      Field holdTime = Class.forName(KEYED_HOLD_CLASS, false, result.getClass().getClassLoader())
          .getDeclaredField("timestamp");
      holdTime.setAccessible(true);
      return Optional.of(new DirectHoldsJanitor(result, holds, holdTime));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Cannot reach the Direct runner's watermark holds ({}); leaked holds will not be removed", e.toString());
      return Optional.empty();
    }
  }

  /** Removes every leaked hold now; returns how many. */
  int purge() throws ReflectiveOperationException {
    int removed = 0;
    for (Holds h : holds) {
      synchronized (h.watermark()) { // the runner reads and updates these holds under this lock
        for (Iterator<Map.Entry<Object, Object>> it = h.byKey().entrySet().iterator(); it.hasNext(); ) {
          Map.Entry<Object, Object> e = it.next();
          if (e.getKey() != null && e.getKey().getClass().getName().equals(EMPTY_KEY_CLASS)
              && !((Instant) holdTime.get(e.getValue())).isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
            h.all().remove(e.getValue());
            it.remove();
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /** Holds the runner keeps now, leaked or not, over all steps. */
  long size() {
    long n = 0;
    for (Holds h : holds) {
      synchronized (h.watermark()) {
        n += h.byKey().size();
      }
    }
    return n;
  }

  private void purgeQuietly() {
    if (result.getState().isTerminal()) {
      timer.shutdown();
      return;
    }
    try {
      int removed = purge();
      LOG.debug("removed {} leaked watermark holds", removed);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Removing leaked watermark holds failed ({}); stopped", e.toString());
      timer.shutdown();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(target.getClass().getName() + "." + name);
  }
}
