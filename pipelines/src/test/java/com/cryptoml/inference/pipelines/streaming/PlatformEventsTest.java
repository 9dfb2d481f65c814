package com.cryptoml.inference.pipelines.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.Mode;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelResolver;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model events a stream publishes at start follow model-event.schema.json. */
class PlatformEventsTest {
  @Test
  void servedAndRefusedReferencesGiveEventsTheSchemaAccepts(@TempDir Path cache) throws Exception {
    JsonSchema schema;
    try (InputStream in = getClass().getResourceAsStream("/schemas/model-event.schema.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }
    InferenceConfig config = InferenceConfig.of(ConfigLoader.options(new String[] {"--registry=" + PipelineTestData.REGISTRY,
        "--artifactCacheDir=" + cache, "--enabledTimeframes=1h", "--models=1h=swing-high-v1-1h@challenger,swing-high-v1-1h@nope"},
        StreamOptions.class), Mode.LIVE);
    ActiveModels active;
    try (ModelRegistry registry = Registries.open(PipelineTestData.REGISTRY)) {
      active = new ModelResolver(config, registry, new ModelLoader(registry, config.loadOptions()), false).resolve(ActiveModels.empty());
    }
    List<String> events = PlatformEvents.diff(ActiveModels.empty(), active, new EventJson.Envelope("test", "live", "live"), 0);
    Map<String, Integer> types = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String e : events) {
      assertEquals(Set.of(), schema.validate(json.readTree(e)), e);
      types.merge(json.readTree(e).get("event_type").asText(), 1, Integer::sum);
    }
    assertEquals(Map.of("model_version_changed", 1, "model_version_refused", 1), types);
    String changed = events.stream().filter(e -> e.contains("model_version_changed")).findFirst().orElseThrow();
    assertFalse(schema.validate(json.readTree(changed.replaceAll(",\"sha256\":\"[0-9a-f]+\"", ""))).isEmpty(),
        "a change without its digest is not an accepted event");
  }
}
