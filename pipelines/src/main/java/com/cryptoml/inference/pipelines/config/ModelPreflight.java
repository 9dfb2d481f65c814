package com.cryptoml.inference.pipelines.config;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.registry.RegistryException;
import com.cryptoml.inference.models.serving.ModelCache;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The explicit step before a launch that checks every configured model reference against the
 * registry, the way the workers will: resolve it, download and verify the version (checksum,
 * MLmodel, metadata, SavedModel signature) and, with {@code load}, load and warm it up. The graph is
 * built afterwards and never touches the registry itself. Each reference gets a {@link Row}: what
 * serves it, or why it would be refused.
 */
public final class ModelPreflight {
  private ModelPreflight() {}

  /** One configured reference: what it resolves to and whether it would serve. */
  public record Row(Timeframe timeframe, String ref, String modelId, String version, String versionLabel, String stage,
      String modelType, Timeframe modelTimeframe, int lookback, List<String> features, String sha256, boolean verified,
      String reason, String detail, Duration loadTime) {
    public boolean refused() {
      return !verified;
    }
  }

  /** What the registry says of every reference of the enabled timeframes. */
  public record Report(String registry, List<Row> rows) {
    public boolean allVerified() {
      return rows.stream().allMatch(Row::verified);
    }

    /** References routed to a timeframe their model's metadata disagrees with, or missing from the registry. */
    public List<String> configurationProblems() {
      List<String> problems = new ArrayList<>();
      for (Row r : rows) {
        String key = "inference_config.timeframe_specific_models." + r.timeframe().code() + ": " + r.ref();
        if ("not_found".equals(r.reason())) {
          problems.add(key + " is not in the registry (" + r.detail() + ")");
        } else if (r.modelTimeframe() != null && r.modelTimeframe() != r.timeframe()) {
          problems.add(key + " is a " + r.modelTimeframe().code() + " model (its metadata says timeframe " + r.modelTimeframe().code() + ")");
        }
      }
      return problems;
    }
  }

  /** Checks every reference; with {@code load}, also loads and warms up each verified version. */
  public static Report run(InferenceConfig config, boolean load) {
    List<Row> rows = new ArrayList<>();
    String where = Registries.redact(config.options().getRegistry());
    try (ModelRegistry registry = Registries.open(config.options().getRegistry())) {
      where = registry.describe();
      ModelLoader loader = new ModelLoader(registry, config.loadOptions());
      for (Map.Entry<Timeframe, List<String>> route : config.timeframeSpecificModels().entrySet()) {
        if (!config.enabledTimeframes().contains(route.getKey())) {
          continue;
        }
        for (String spec : route.getValue()) {
          rows.add(check(route.getKey(), spec, registry, loader, config, load));
        }
      }
    } catch (RegistryException e) {
      for (Map.Entry<Timeframe, List<String>> route : config.timeframeSpecificModels().entrySet()) {
        for (String spec : route.getValue()) {
          rows.add(refused(route.getKey(), spec, null, "registry_unavailable", e.getMessage()));
        }
      }
    }
    return new Report(where, rows);
  }

  private static Row check(Timeframe tf, String spec, ModelRegistry registry, ModelLoader loader, InferenceConfig config, boolean load) {
    ModelRef ref = ModelRef.parse(spec);
    ModelVersion version;
    try {
      version = registry.resolve(ref);
    } catch (RegistryException e) {
      return refused(tf, ref.toString(), null, e.isNotFound() ? "not_found" : e.isInvalid() ? "invalid_metadata" : "registry_unavailable",
          e.getMessage());
    }
    try {
      long start = System.nanoTime();
      ModelLoader.PreparedModel prepared = loader.prepare(version);
      Duration took = Duration.ZERO;
      if (load) {
        try (ModelCache.Lease lease = ModelCache.shared(config.options().getModelCacheSize()).acquire(version, loader::load)) {
          took = lease.model().loadTime().isZero() ? Duration.ofNanos(System.nanoTime() - start) : lease.model().loadTime();
        }
      }
      ModelMetadata md = prepared.metadata();
      return new Row(tf, ref.toString(), version.name(), version.version(), version.versionLabel(), version.stage(),
          md.modelType().code(), md.timeframe(), md.lookback(), md.features(), version.sha256(), md.timeframe() == tf, 
          md.timeframe() == tf ? null : "invalid_metadata",
          md.timeframe() == tf ? null : "metadata timeframe " + md.timeframe() + " disagrees with timeframe_specific_models." + tf, took);
    } catch (ModelRefusedException e) {
      return new Row(tf, ref.toString(), version.name(), version.version(), version.versionLabel(), version.stage(), null, null, 0,
          List.of(), version.sha256(), false, e.reason().code(), e.getMessage(), Duration.ZERO);
    }
  }

  private static Row refused(Timeframe tf, String ref, ModelVersion v, String reason, String detail) {
    String model = ModelRef.parse(ref).name();
    return new Row(tf, ref, model, null, null, null, null, null, 0, List.of(), null, false, reason, detail, Duration.ZERO);
  }

  /**
   * Fails a launch whose configuration routes a model to a timeframe its metadata disagrees with, or
   * names a model the registry does not have. A version refused for its artifact, or a registry that
   * cannot be reached now, does not fail it: the running stream refuses such versions with an event
   * and keeps retrying the registry.
   */
  public static void checkRouting(InferenceConfig config) {
    failOnConfigurationProblems(run(config, false));
  }

  /** A {@link ConfigLoader.ConfigException} naming every configuration problem of the report, if it has any. */
  public static void failOnConfigurationProblems(Report report) {
    List<String> problems = report.configurationProblems();
    if (!problems.isEmpty()) {
      throw new ConfigLoader.ConfigException(problems);
    }
  }
}
