package com.cryptoml.inference.transforms.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.transforms.TestData;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelResolverTest {
  private static ModelResolver resolver(InferenceConfig config) {
    ModelLoader loader = new ModelLoader(Registries.open(config.options().getRegistry()), config.loadOptions());
    return new ModelResolver(config, loader.registry(), loader, false);
  }

  @Test
  void championAndChallengerServeSideBySide() {
    ActiveModels a = resolver(TestData.config().build()).resolve(ActiveModels.empty());
    assertEquals("1.0.0", a.forRef("swing-high-v1-1h").version().versionLabel());
    assertEquals("1.1.0", a.forRef("swing-high-v1-1h@challenger").version().versionLabel());
    assertEquals(List.of("swing-high-v1-1h", "swing-high-v1-1h", "swing-high-v2-1h", "momentum-v1-1h"),
        a.routedTo(Timeframe.H1).stream().map(ActiveModels.Entry::modelId).toList());
    assertTrue(a.requiredFeatures(Timeframe.H1).containsAll(List.of("ret_1", "atr_14")));
    assertNotNull(a.find("swing-high-v1-1h:2"));
    assertTrue(a.refusals().isEmpty());
  }

  @Test
  void aModelOnTheWrongTimeframeOrMissingIsRefusedAndTheRestServes() {
    InferenceConfig config = TestData.config()
        .timeframeSpecificModels(Map.of(Timeframe.H4, List.of("momentum-v1-1h", "momentum-v1-4h", "ghost-v1-4h"))).build();
    ActiveModels a = resolver(config).resolve(ActiveModels.empty());
    assertEquals(List.of("momentum-v1-4h"), a.routedTo(Timeframe.H4).stream().map(ActiveModels.Entry::modelId).toList());
    assertEquals(2, a.refusals().size());
    assertEquals("invalid_metadata", a.refusals().get(0).reason());
    assertTrue(a.refusals().get(0).message().contains("disagrees with timeframe_specific_models.4h"), a.refusals().get(0).message());
    assertEquals("not_found", a.refusals().get(1).reason());
  }

  @Test
  void aRefusedNewVersionKeepsThePreviousOneServing() {
    ActiveModels first = resolver(TestData.config().timeframeSpecificModels(Map.of(Timeframe.H1, List.of("momentum-v1-1h"))).build())
        .resolve(ActiveModels.empty());
    // Same reference, now resolving against a registry where the model is gone: the old version stays.
    InferenceConfig broken = TestData.config().registryUri("../testdata/fixtures/mlflow-filestore-2.17")
        .timeframeSpecificModels(Map.of(Timeframe.H1, List.of("momentum-v1-1h"))).build();
    ActiveModels second = resolver(broken).resolve(first);
    assertEquals(first.forRef("momentum-v1-1h"), second.forRef("momentum-v1-1h"));
    assertEquals(2, second.generation());
    assertEquals("not_found", second.refusals().get(0).reason());
    assertNull(ActiveModels.empty().forRef("momentum-v1-1h"));
  }
}
