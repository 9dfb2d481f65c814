package com.cryptoml.inference.models.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.TestModels;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.mlflow.MlflowFileStoreRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
  @TempDir Path root;
  @TempDir Path cacheDir;
  private ModelRegistry registry;
  private ModelLoader loader;

  @BeforeEach
  void setUp() throws IOException {
    TestModels.Store store = new TestModels.Store(root);
    for (int i = 1; i <= 3; i++) {
      store.registerSimple("m" + i + "-v1-1h", 1, "1.0.0", 4, i);
    }
    registry = new MlflowFileStoreRegistry(root.toString());
    loader = new ModelLoader(registry, LoadOptions.defaults().withCacheDir(cacheDir.toString()).withWarmup(2, 4));
  }

  private ModelVersion version(int i) {
    return registry.resolve(ModelRef.parse("m" + i + "-v1-1h"));
  }

  @Test
  void eachVersionLoadsOncePerJvmAcrossManyThreads() throws Exception {
    ModelCache cache = new ModelCache(4, Duration.ofMinutes(1));
    AtomicInteger loads = new AtomicInteger();
    ModelVersion v = version(1);
    int threads = 16;
    int callsPerThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    Set<ServingModel> seen = ConcurrentHashMap.newKeySet();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int c = 0; c < callsPerThread; c++) {
          try (ModelCache.Lease lease = cache.acquire(v, ver -> {
            loads.incrementAndGet();
            return loader.load(ver);
          })) {
            seen.add(lease.model());
            // Predictors are not shared between concurrent callers, so every call works.
            assertEquals(3, lease.model().predict(new float[] {c, -c, 0.5f, 1}, 1).length);
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertEquals(1, loads.get());
    assertEquals(1, seen.size());
    CacheStats stats = cache.stats();
    assertEquals(1, stats.loads());
    assertEquals(1, stats.misses());
    assertEquals(threads * callsPerThread - 1, stats.hits());
    assertTrue(stats.hitRate() > 0.99);
  }

  @Test
  void leastRecentlyUsedIsEvictedAndClosedOnlyAfterItsLastLease() {
    ModelCache cache = new ModelCache(2, Duration.ofMinutes(1));
    ModelCache.Lease first = cache.acquire(version(1), loader::load);
    ServingModel m1 = first.model();
    cache.acquire(version(2), loader::load).close();
    cache.acquire(version(3), loader::load).close(); // evicts m1: least recently used
    assertFalse(cache.contains(version(1)));
    assertEquals(1, cache.stats().evictions());
    assertFalse(m1.isClosed(), "a model in use is not closed when evicted");
    assertEquals(3, m1.predict(new float[4], 1).length);
    first.close();
    assertTrue(m1.isClosed(), "closed once the last lease is released");

    // Touching m2 makes m3 the eldest.
    cache.acquire(version(2), loader::load).close();
    ModelCache.Lease again = cache.acquire(version(1), loader::load);
    assertFalse(again.wasHit());
    assertSame(again.model(), cache.acquire(version(1), loader::load).model());
    assertTrue(cache.contains(version(2)));
    assertFalse(cache.contains(version(3)));
    assertEquals(4, cache.stats().loads());
  }

  @Test
  void sharedCacheIsOnePerJvmAndOnlyGrows() {
    ModelCache a = ModelCache.shared(3);
    ModelCache b = ModelCache.shared(2);
    assertSame(a, b);
    assertTrue(b.capacity() >= 3);
  }
}
