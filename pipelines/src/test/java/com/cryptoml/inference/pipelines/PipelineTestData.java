package com.cryptoml.inference.pipelines;

import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.joda.time.Instant;

/** Paths of the committed test data seen from this module, and readers for outputs. */
public final class PipelineTestData {
  public static final Path TESTDATA = Files.isDirectory(Path.of("..", "testdata")) ? Path.of("..", "testdata") : Path.of("testdata");
  public static final String REGISTRY = TESTDATA.resolve("data/registry").toString();
  public static final String HISTORY_GLOB = TESTDATA.resolve("data/history").toAbsolutePath() + "/*.parquet";
  private static final JsonSchema PREDICTION = schema();

  private PipelineTestData() {}

  private static JsonSchema schema() {
    try (InputStream in = PipelineTestData.class.getResourceAsStream("/schemas/prediction.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Set<ValidationMessage> validatePrediction(String json) {
    try {
      return PREDICTION.validate(new ObjectMapper().readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every Parquet file under a directory, recursively. */
  public static List<Path> parquetFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  public static List<GenericRecord> readParquet(Path file) throws IOException {
    List<GenericRecord> out = new ArrayList<>();
    try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
        new PlainParquetConfiguration()).build()) {
      GenericRecord rec;
      while ((rec = r.read()) != null) {
        out.add(rec);
      }
    }
    return out;
  }

  /** A prediction Parquet row back as the event it was written from. */
  @SuppressWarnings("unchecked")
  public static PredictionEvent toEvent(GenericRecord r) {
    Map<String, Double> probabilities = new HashMap<>();
    ((Map<Object, Object>) r.get("probabilities")).forEach((k, v) -> probabilities.put(k.toString(), (Double) v));
    List<String> imputed = new ArrayList<>();
    ((List<Object>) r.get("imputed_features")).forEach(x -> imputed.add(x.toString()));
    Object batch = r.get("batch_request_id");
    return PredictionEvent.builder()
        .setEventId(r.get("event_id").toString()).setTimestamp(instant(r.get("timestamp")))
        .setService(r.get("service").toString()).setEnvironment(r.get("environment").toString())
        .setSubEnvironment(r.get("sub_environment").toString()).setMode(r.get("mode").toString())
        .setEventType(r.get("event_type").toString()).setModelId(r.get("model_id").toString())
        .setModelVersion(r.get("model_version").toString()).setSymbol(r.get("symbol").toString())
        .setTimeframe(r.get("timeframe").toString()).setPrediction((Integer) r.get("prediction"))
        .setConfidence((Double) r.get("confidence")).setExchange(r.get("exchange").toString())
        .setModelType(r.get("model_type").toString()).setFeatureTimestamp(instant(r.get("feature_timestamp")))
        .setRegistryVersion(r.get("registry_version").toString()).setProbabilities(probabilities)
        .setImputedFeatures(imputed).setInferenceLatencyMs((Double) r.get("inference_latency_ms"))
        .setBatchRequestId(batch == null ? null : batch.toString()).setModelRef(r.get("model_ref").toString())
        .setModelRole(r.get("model_role").toString()).setScore((Double) r.get("score")).build();
  }

  private static Instant instant(Object v) {
    if (v instanceof Long l) {
      return new Instant(l);
    }
    if (v instanceof java.time.Instant i) {
      return new Instant(i.toEpochMilli());
    }
    throw new IllegalArgumentException("timestamp " + v);
  }
}
