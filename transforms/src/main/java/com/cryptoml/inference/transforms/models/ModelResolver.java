package com.cryptoml.inference.transforms.models;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.RegistryException;
import com.cryptoml.inference.models.serving.ModelCache;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the configuration's model references into the {@link ActiveModels} to serve: resolve each
 * reference in the registry, prepare the version (download, checksum, metadata) and, when asked,
 * load and warm it up. A reference that cannot be served keeps its previous version when there is
 * one; either way a {@link ActiveModels.Refusal} says why.
 */
public final class ModelResolver {
  private static final Logger LOG = LoggerFactory.getLogger(ModelResolver.class);

  private final InferenceConfig config;
  private final ModelRegistry registry;
  private final ModelLoader loader;
  private final boolean loadToVerify;

  /**
   * @param loadToVerify also load into TensorFlow and warm up before accepting a version (streaming
   *     refresh does; a batch driver only prepares, its workers load)
   */
  public ModelResolver(InferenceConfig config, ModelRegistry registry, ModelLoader loader, boolean loadToVerify) {
    this.config = config;
    this.registry = registry;
    this.loader = loader;
    this.loadToVerify = loadToVerify;
  }

  public ActiveModels resolve(ActiveModels previous) {
    List<ActiveModels.Entry> entries = new ArrayList<>();
    List<ActiveModels.Refusal> refusals = new ArrayList<>();
    for (Map.Entry<Timeframe, List<String>> route : config.timeframeSpecificModels().entrySet()) {
      if (!config.enabledTimeframes().contains(route.getKey())) {
        continue;
      }
      for (String spec : route.getValue()) {
        ModelRef ref = ModelRef.parse(spec);
        ActiveModels.Entry current = previous.forRef(spec);
        try {
          ModelVersion version = registry.resolve(ref);
          if (current != null && current.version().cacheKey().equals(version.cacheKey())) {
            entries.add(current); // unchanged
            continue;
          }
          ModelLoader.PreparedModel prepared = loader.prepare(version);
          if (prepared.metadata().timeframe() != route.getKey()) {
            throw new ModelRefusedException(version.name(), version.version(), ModelRefusedException.Reason.INVALID_METADATA,
                "metadata timeframe " + prepared.metadata().timeframe() + " disagrees with timeframe_specific_models." + route.getKey());
          }
          if (loadToVerify) {
            ModelCache.shared(config.options().getModelCacheSize()).acquire(version, loader::load).close();
          }
          entries.add(new ActiveModels.Entry(spec, version, prepared.metadata()));
        } catch (ModelRefusedException e) {
          refusals.add(new ActiveModels.Refusal(spec, ref.name(), e.version(), e.reason().code(), e.getMessage()));
          keep(current, entries, e.getMessage());
        } catch (RegistryException e) {
          String reason = e.isNotFound() ? "not_found" : "registry_unavailable";
          refusals.add(new ActiveModels.Refusal(spec, ref.name(), null, reason, e.getMessage()));
          keep(current, entries, e.getMessage());
        }
      }
    }
    return previous.next(entries, refusals);
  }

  private static void keep(ActiveModels.Entry current, List<ActiveModels.Entry> entries, String why) {
    if (current != null) {
      LOG.warn("{}; {} keeps serving", why, current.version());
      entries.add(current);
    } else {
      LOG.warn("{}; no version of this model serves", why);
    }
  }
}
