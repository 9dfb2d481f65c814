package com.cryptoml.inference.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** The project's JSON Schemas (transforms/src/main/resources/schemas), for tests. */
public final class JsonSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final JsonSchema PREDICTION = load("prediction.schema.json");
  public static final JsonSchema FEATURE_UPDATE = load("feature-update.schema.json");
  public static final JsonSchema INFERENCE_ERROR = load("inference-error.schema.json");
  public static final JsonSchema MODEL_EVENT = load("model-event.schema.json");

  private JsonSchemas() {}

  private static JsonSchema load(String name) {
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    try (InputStream in = JsonSchemas.class.getResourceAsStream("/schemas/" + name)) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Validation messages for a JSON document; empty when valid. */
  public static Set<ValidationMessage> validate(JsonSchema schema, String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return schema.validate(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
