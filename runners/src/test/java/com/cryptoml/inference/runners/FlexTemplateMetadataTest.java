package com.cryptoml.inference.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Flex Template's metadata.json describes real options, completely and with working regexes. */
class FlexTemplateMetadataTest {
  @Test
  void everyParameterIsAnOptionAndEveryRequestOptionIsAParameter() throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(Files.readString(Path.of("dataflow", "flex-template", "metadata.json")));
    Set<String> options = new HashSet<>();
    for (Method m : BatchOptions.class.getMethods()) {
      if (m.getName().startsWith("get") && m.getParameterCount() == 0) {
        options.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
      }
    }
    Set<String> parameters = new HashSet<>();
    for (JsonNode p : metadata.get("parameters")) {
      String name = p.get("name").asText();
      parameters.add(name);
      assertTrue(options.contains(name), name + " is not a pipeline option");
      assertFalse(p.path("label").asText().isBlank(), name);
      assertFalse(p.path("helpText").asText().isBlank(), name);
      assertTrue(p.get("isOptional").isBoolean(), name);
      assertTrue(p.get("regexes").size() > 0, name);
      p.get("regexes").forEach(r -> Pattern.compile(r.asText()));
    }
    for (Method m : BatchOptions.class.getDeclaredMethods()) {
      if (m.getName().startsWith("get")) {
        String name = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
        assertTrue(parameters.contains(name), "request option " + name + " is missing from metadata.json");
      }
    }
    assertEquals(false, metadata.get("streaming").asBoolean());
  }

  @Test
  void regexesAcceptWhatTheRequestAcceptsAndRejectNonsense() throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(Files.readString(Path.of("dataflow", "flex-template", "metadata.json")));
    for (JsonNode p : metadata.get("parameters")) {
      Pattern regex = Pattern.compile(p.get("regexes").get(0).asText());
      switch (p.get("name").asText()) {
        case "requestTimeframes" -> {
          assertTrue(regex.matcher("1h,4h").matches());
          assertFalse(regex.matcher("2h").matches());
        }
        case "requestModels" -> {
          assertTrue(regex.matcher("swing-high-v2-1h,swing-high-v1-1h@challenger,momentum-v1-1d:3").matches());
          assertFalse(regex.matcher("swing high").matches());
        }
        case "start" -> {
          assertTrue(regex.matcher("2024-03-01T00:00:00Z").matches());
          assertFalse(regex.matcher("March 1st").matches());
        }
        case "completionSink" -> {
          assertTrue(regex.matcher("pubsub:projects/quant/topics/batch-events").matches());
          assertTrue(regex.matcher("kafka:broker-1:9092/inference.events").matches());
          assertFalse(regex.matcher("email:me").matches());
        }
        default -> { }
      }
    }
  }
}
