package com.cryptoml.inference.models.serving;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.registry.ModelVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide model cache: every DoFn instance and thread of a JVM shares it, so each model
 * version is loaded once per JVM however many bundles, threads or DoFn instances ask for it.
 *
 * <ul>
 *   <li>Capacity {@code model_cache_size}, least recently used out first.
 *   <li>Concurrent requests for a version that is loading wait for that one load.
 *   <li>A {@link Lease} pins a model: an evicted model is closed only when its last lease closes,
 *       so calls in flight finish on it.
 *   <li>A refused version is remembered for {@code refusalTtl}, so a bad version does not trigger a
 *       reload on every element; what the cache already serves keeps serving.
 * </ul>
 */
public final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final Object SHARED_LOCK = new Object();
  private static ModelCache shared;

  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Refusal> refusals = new LinkedHashMap<>();
  private int capacity;
  private final Duration refusalTtl;
  private long hits;
  private long misses;
  private long loads;
  private long loadFailures;
  private long evictions;
  private long loadMillis;

  public ModelCache(int capacity, Duration refusalTtl) {
    if (capacity < 1) {
      throw new IllegalArgumentException("model_cache_size must be >= 1");
    }
    this.capacity = capacity;
    this.refusalTtl = refusalTtl;
  }

  /**
   * The JVM's cache. The first caller sets the capacity; a later caller asking for more raises it
   * (never lowers it, since other pipelines in the JVM may rely on it).
   */
  public static ModelCache shared(int capacity) {
    synchronized (SHARED_LOCK) {
      if (shared == null) {
        shared = new ModelCache(capacity, Duration.ofSeconds(30));
      } else {
        shared.ensureCapacity(capacity);
      }
      return shared;
    }
  }

  public synchronized void ensureCapacity(int atLeast) {
    capacity = Math.max(capacity, atLeast);
  }

  public synchronized int capacity() {
    return capacity;
  }

  /**
   * Returns a lease on the loaded model, loading it with {@code loader} on a miss. Throws
   * {@link ModelRefusedException} when the version cannot be served.
   */
  public Lease acquire(ModelVersion version, Function<ModelVersion, ServingModel> loader) {
    String key = version.cacheKey();
    Entry entry;
    boolean load = false;
    synchronized (this) {
      Refusal refusal = refusals.get(key);
      if (refusal != null) {
        if (System.nanoTime() < refusal.untilNanos) {
          throw refusal.error;
        }
        refusals.remove(key);
      }
      entry = entries.get(key);
      if (entry == null) {
        entry = new Entry(key);
        entries.put(key, entry);
        misses++;
        load = true;
      } else {
        hits++;
      }
      entry.refs++;
    }
    if (load) {
      runLoad(entry, version, loader);
    }
    try {
      return new Lease(entry, entry.future.join(), !load);
    } catch (CompletionException e) {
      release(entry);
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  private void runLoad(Entry entry, ModelVersion version, Function<ModelVersion, ServingModel> loader) {
    long start = System.nanoTime();
    try {
      ServingModel model = loader.apply(version);
      synchronized (this) {
        loads++;
        loadMillis += (System.nanoTime() - start) / 1_000_000;
      }
      entry.future.complete(model);
      evictOverCapacity(entry);
    } catch (RuntimeException e) {
      synchronized (this) {
        loadFailures++;
        entries.remove(entry.key, entry);
        if (e instanceof ModelRefusedException refused) {
          refusals.put(entry.key, new Refusal(refused, System.nanoTime() + refusalTtl.toNanos()));
        }
      }
      LOG.warn("{}", e.getMessage());
      entry.future.completeExceptionally(e);
    }
  }

  private void evictOverCapacity(Entry justLoaded) {
    List<ServingModel> toClose = new ArrayList<>();
    synchronized (this) {
      Iterator<Entry> it = entries.values().iterator(); // least recently used first
      while (loadedCount() > capacity && it.hasNext()) {
        Entry e = it.next();
        if (e == justLoaded || !e.future.isDone() || e.future.isCompletedExceptionally()) {
          continue;
        }
        it.remove();
        evictions++;
        e.evicted = true;
        if (e.refs == 0) {
          toClose.add(e.future.join());
        }
        LOG.info("Evicted {} from the model cache (capacity {})", e.key, capacity);
      }
    }
    toClose.forEach(ServingModel::close);
  }

  private int loadedCount() {
    int n = 0;
    for (Entry e : entries.values()) {
      if (e.future.isDone() && !e.future.isCompletedExceptionally()) {
        n++;
      }
    }
    return n;
  }

  private void release(Entry entry) {
    ServingModel toClose = null;
    synchronized (this) {
      entry.refs--;
      if (entry.refs == 0 && entry.evicted && entry.future.isDone() && !entry.future.isCompletedExceptionally()) {
        toClose = entry.future.join();
      }
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  /** Drops and closes every idle model (tests, shutdown). Models with leases close on release. */
  public void clear() {
    List<ServingModel> toClose = new ArrayList<>();
    synchronized (this) {
      for (Entry e : entries.values()) {
        e.evicted = true;
        if (e.refs == 0 && e.future.isDone() && !e.future.isCompletedExceptionally()) {
          toClose.add(e.future.join());
        }
      }
      entries.clear();
      refusals.clear();
    }
    toClose.forEach(ServingModel::close);
  }

  public synchronized boolean contains(ModelVersion version) {
    Entry e = entries.get(version.cacheKey());
    return e != null && e.future.isDone() && !e.future.isCompletedExceptionally();
  }

  public synchronized CacheStats stats() {
    return new CacheStats(hits, misses, loads, loadFailures, evictions, loadMillis, loadedCount());
  }

  private static final class Entry {
    final String key;
    final CompletableFuture<ServingModel> future = new CompletableFuture<>();
    int refs;
    boolean evicted;

    Entry(String key) {
      this.key = key;
    }
  }

  private record Refusal(ModelRefusedException error, long untilNanos) {}

  /** A pinned model; close it when the call that uses it is done. */
  public final class Lease implements AutoCloseable {
    private final Entry entry;
    private final ServingModel model;
    private final boolean hit;
    private boolean closed;

    private Lease(Entry entry, ServingModel model, boolean hit) {
      this.entry = entry;
      this.model = model;
      this.hit = hit;
    }

    public ServingModel model() {
      return model;
    }

    /** True when the model was already loaded or being loaded by another caller. */
    public boolean wasHit() {
      return hit;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release(entry);
      }
    }
  }
}
