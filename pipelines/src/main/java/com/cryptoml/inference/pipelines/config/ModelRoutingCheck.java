package com.cryptoml.inference.pipelines.config;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.registry.RegistryException;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a launch whose {@code timeframe_specific_models} routes a model to a timeframe its metadata
 * disagrees with, or names a model the registry does not have: configuration mistakes, reported
 * before any worker starts rather than as refusals at run time. A version refused for its artifact
 * is only logged here; the stream refuses it with an event and serves the other models. A registry that cannot be reached
 * now is not a configuration mistake: the check is skipped with a warning, and the running stream
 * refuses such versions itself (and keeps retrying the registry).
 */
public final class ModelRoutingCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRoutingCheck.class);

  private ModelRoutingCheck() {}

  public static void check(InferenceConfig config) {
    List<String> problems = new ArrayList<>();
    try (ModelRegistry registry = Registries.open(config.registryUri())) {
      ModelLoader loader = new ModelLoader(registry, config.loadOptions());
      for (Map.Entry<Timeframe, List<String>> route : config.timeframeSpecificModels().entrySet()) {
        if (!config.enabledTimeframes().contains(route.getKey())) {
          continue;
        }
        for (String ref : route.getValue()) {
          String key = "timeframe_specific_models." + route.getKey().code() + ": " + ref;
          try {
            Timeframe declared = loader.prepare(registry.resolve(ModelRef.parse(ref))).metadata().timeframe();
            if (declared != route.getKey()) {
              problems.add(key + " is a " + declared.code() + " model (its metadata says timeframe " + declared.code() + ")");
            }
          } catch (RegistryException e) {
            if (!e.isNotFound()) {
              LOG.warn("model routing not checked at launch, registry {} unavailable: {}", config.registryUri(), e.getMessage());
              return;
            }
            problems.add(key + " is not in the registry (" + e.getMessage() + ")");
          } catch (ModelRefusedException e) {
            // A bad artifact is the registry's problem, not the file's: the stream refuses it with an event.
            LOG.warn("{}: {}", key, e.getMessage());
          }
        }
      }
    } catch (RegistryException e) {
      LOG.warn("model routing not checked at launch, registry {} unavailable: {}", config.registryUri(), e.getMessage());
      return;
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration:\n  - " + String.join("\n  - ", problems));
    }
  }
}
