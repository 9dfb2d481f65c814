package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.models.ActiveModels;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the history needs to know about one model routed to its timeframe: which version, which
 * features in which order, how many bars, and the training means (for mean imputation). Kept in
 * the key's state, because timers cannot read side inputs.
 */
public record RoutedModel(String modelId, String registryVersion, List<String> features, int lookback, double[] means) {
  public RoutedModel {
    features = List.copyOf(features);
    means = means.clone();
  }

  public static RoutedModel of(ActiveModels.Entry e) {
    ModelMetadata m = e.metadata();
    return new RoutedModel(e.modelId(), e.version().version(), m.features(), m.lookback(), m.means());
  }

  /** The models {@code models} routes to {@code tf}, as the history keeps them. */
  public static List<RoutedModel> routedTo(ActiveModels models, Timeframe tf) {
    return models.routedTo(tf).stream().map(RoutedModel::of).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoutedModel r && modelId.equals(r.modelId) && registryVersion.equals(r.registryVersion)
        && features.equals(r.features) && lookback == r.lookback && Arrays.equals(means, r.means);
  }

  @Override
  public int hashCode() {
    return Objects.hash(modelId, registryVersion, features, lookback) * 31 + Arrays.hashCode(means);
  }
}
