package com.cryptoml.inference.transforms;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.ReferenceClock;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelResolver;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** The committed test data, seen from the transforms' tests. */
public final class TestData {
  /** testdata/ seen from a module directory (tests) or the repository root (exec:java). */
  public static final Path TESTDATA = Files.isDirectory(Path.of("..", "testdata")) ? Path.of("..", "testdata") : Path.of("testdata");
  public static final String REGISTRY = TESTDATA.resolve("data").resolve("registry").toString();
  public static final Path HISTORY = TESTDATA.resolve("data").resolve("history");
  /** Close time of the last committed bar. */
  public static final Instant END = Instant.parse("2024-04-01T00:00:00Z");
  public static final List<String> FEATURES = List.of(
      "ret_1", "ret_4", "ret_12", "rv_24", "rsi_14", "vol_z_24", "dist_high_24", "dist_low_24", "atr_14");

  private TestData() {}

  /** All committed models, a fixed clock at END, timeouts generous enough for a loaded CI machine. */
  public static ConfigBuilder config() {
    try {
      return ConfigBuilder.defaults()
          .registryUri(REGISTRY)
          .artifactCacheDir(Files.createTempDirectory("artifacts").toString())
          .warmupIterations(2)
          .predictionTimeoutMs(30_000)
          .referenceClock(ReferenceClock.fixed(END))
          .maxFeatureAge(Duration.ofDays(400))
          .environment("test")
          .models(Timeframe.M1, "momentum-v1-1m")
          .models(Timeframe.M5, "pattern-v1-5m")
          .models(Timeframe.M15, "volatility-v1-15m")
          .models(Timeframe.H1, "swing-high-v1-1h", "swing-high-v1-1h@challenger", "swing-high-v2-1h", "momentum-v1-1h")
          .models(Timeframe.H4, "swing-high-v1-4h", "momentum-v1-4h")
          .models(Timeframe.D1, "momentum-v1-1d");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ActiveModels resolve(InferenceConfig config) {
    ModelLoader loader = new ModelLoader(Registries.open(config.options().getRegistry()), config.loadOptions());
    return new ModelResolver(config, loader.registry(), loader, false).resolve(ActiveModels.empty());
  }

  /** Committed history rows of one timeframe that match, in file (event-time) order. */
  public static List<FeatureUpdate> history(Timeframe tf, Predicate<FeatureUpdate> keep, int limit) {
    List<FeatureUpdate> out = new ArrayList<>();
    Path file = HISTORY.resolve("features-" + tf.code() + ".parquet");
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file), new PlainParquetConfiguration()).build()) {
      GenericRecord r;
      while ((r = reader.read()) != null && out.size() < limit) {
        Map<String, Double> features = new HashMap<>();
        for (String f : FEATURES) {
          Object v = r.get(f);
          if (v != null) {
            features.put(f, (Double) v);
          }
        }
        FeatureUpdate u = FeatureUpdate.builder()
            .setEventId(str(r.get("event_id")))
            .setTimestamp(new org.joda.time.Instant((Long) r.get("timestamp")))
            .setSymbol(str(r.get("symbol")))
            .setExchange(str(r.get("exchange")))
            .setTimeframe(str(r.get("timeframe")))
            .setFeatureSetVersion(str(r.get("feature_set_version")))
            .setFeatures(features)
            .setSource("parquet:" + file.getFileName())
            .setPayload(null)
            .build();
        if (keep.test(u)) {
          out.add(u);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String str(Object o) {
    return o instanceof Utf8 u ? u.toString() : (String) o;
  }
}
