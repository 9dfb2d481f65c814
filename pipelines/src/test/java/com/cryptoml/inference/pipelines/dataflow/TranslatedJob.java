package com.cryptoml.inference.pipelines.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.vendor.grpc.v1p69p0.com.google.protobuf.ByteString;

/**
 * A job the Dataflow runner wrote in template mode: the job request (environment, worker pools,
 * experiments, service options) and, as Runner v2 submits it, the portable pipeline proto staged
 * beside it. Nothing is sent to GCP.
 */
record TranslatedJob(JsonNode job, RunnerApi.Pipeline graph) {
  static final String ACCELERATOR = "beam:resources:accelerator:v1";
  static final String MIN_RAM = "beam:resources:min_ram_bytes:v1";

  /** Points the options at local template, temp and staging folders, with no credentials. */
  static void offline(PipelineOptions options, Path dir, String jobName) throws IOException {
    DataflowPipelineOptions dataflow = options.as(DataflowPipelineOptions.class);
    dataflow.setProject("quant-offline");
    dataflow.setJobName(jobName);
    dataflow.setTempLocation(dir.resolve("temp").toString());
    dataflow.setStagingLocation(dir.resolve("staging").toString());
    dataflow.setTemplateLocation(dir.resolve(jobName + ".json").toString());
    dataflow.setPathValidatorClass(NoopPathValidator.class);
    dataflow.setCredentialFactoryClass(NoopCredentialFactory.class);
    dataflow.setFilesToStage(List.of());
    Files.createDirectories(dir.resolve("temp"));
    Files.createDirectories(dir.resolve("staging"));
  }

  static TranslatedJob read(PipelineOptions options) throws IOException {
    JsonNode job = new ObjectMapper().readTree(Path.of(options.as(DataflowPipelineOptions.class).getTemplateLocation()).toFile());
    String pipelineUrl = job.get("environment").get("sdkPipelineOptions").get("options").get("pipelineUrl").asText();
    return new TranslatedJob(job, RunnerApi.Pipeline.parseFrom(Files.readAllBytes(Path.of(pipelineUrl))));
  }

  JsonNode environment() {
    return job.get("environment");
  }

  List<String> environmentList(String field) {
    List<String> out = new ArrayList<>();
    JsonNode array = environment().get(field);
    if (array != null) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  JsonNode workerPool() {
    return environment().get("workerPools").get(0);
  }

  Set<String> transformNames() {
    Set<String> names = new TreeSet<>();
    graph.getComponents().getTransformsMap().values().forEach(t -> names.add(t.getUniqueName()));
    return names;
  }

  /** Resource hint {@code urn} per first-level step under {@code prefix} whose environment carries it. */
  Map<String, String> hintByStep(String prefix, String urn) {
    Map<String, String> out = new TreeMap<>();
    for (RunnerApi.PTransform t : graph.getComponents().getTransformsMap().values()) {
      if (t.getEnvironmentId().isEmpty() || !t.getUniqueName().startsWith(prefix)) {
        continue;
      }
      String step = t.getUniqueName().substring(prefix.length()).split("/")[0];
      ByteString hint = graph.getComponents().getEnvironmentsOrThrow(t.getEnvironmentId()).getResourceHintsMap().get(urn);
      if (hint != null) {
        out.put(step, hint.toStringUtf8());
      }
    }
    return out;
  }
}
