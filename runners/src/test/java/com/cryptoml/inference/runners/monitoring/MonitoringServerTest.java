package com.cryptoml.inference.runners.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.runners.startup.StartupStatus;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A running (unbounded) pipeline on the Direct runner reports known metrics once; the endpoints serve
 * them in Prometheus' text format, answer health and readiness, and the events carry their deltas.
 */
class MonitoringServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|\\+Inf|NaN)$");
  private PipelineResult result;

  /** Reports a fixed set of metrics on the first impulse, and the models as loaded on the second. */
  static final class Report extends DoFn<Instant, Void> {
    private final String run;

    Report(String run) {
      this.run = run;
    }

    @ProcessElement
    public void process(@Element Instant t) {
      if (REPORTED.add(run)) {
        InferenceMetrics.counter(InferenceMetrics.PREDICTIONS_TF + "1h").inc(3);
        InferenceMetrics.counter(InferenceMetrics.DEAD_LETTERS + "late_bar").inc(2);
        InferenceMetrics.latency(InferenceMetrics.EVENT_TO_PUBLISH).update(7);
        InferenceMetrics.latency(InferenceMetrics.EVENT_TO_PUBLISH).update(40);
        InferenceMetrics.latency(InferenceMetrics.EVENT_TO_PUBLISH).update(70_000);
        InferenceMetrics.distribution(InferenceMetrics.BATCH_SIZE).update(4);
        InferenceMetrics.distribution(InferenceMetrics.BATCH_SIZE).update(8);
        InferenceMetrics.gauge(InferenceMetrics.FEATURE_PSI + "swing-high-v1-1h:rsi_14").set(250);
        InferenceMetrics.counter("model_version_changes").inc(2);
      }
    }
  }

  /** Runs that have reported (once per pipeline, whatever the bundling). */
  static final Set<String> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @BeforeEach
  void startPipeline() throws Exception {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setBlockOnRun(false);
    options.as(StreamingOptions.class).setStreaming(true);
    Pipeline p = Pipeline.create(options);
    p.apply(PeriodicImpulse.create().withInterval(org.joda.time.Duration.millis(100))).apply(ParDo.of(new Report(java.util.UUID.randomUUID().toString())));
    result = p.run();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (MetricsSnapshot.of(result).counter("model_version_changes") < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @AfterEach
  void stopPipeline() throws Exception {
    result.cancel();
  }

  @Test
  void prometheusTextHealthAndReadiness() throws Exception {
    EventJson.Envelope env = new EventJson.Envelope("test", "live", "live");
    try (MonitoringServer notReady = new MonitoringServer(0, 3, null, Duration.ofHours(1), null, env, new StartupStatus());
        MonitoringServer ready = new MonitoringServer(0, 2, null, Duration.ofHours(1), null, env, new StartupStatus())) {
      notReady.attach(result);
      ready.attach(result);
      HttpResponse<String> metrics = get(ready.port(), "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      Map<String, Double> samples = new HashMap<>();
      Set<String> typed = new HashSet<>();
      for (String line : metrics.body().split("\n")) {
        if (line.startsWith("# TYPE ")) {
          assertTrue(typed.add(line.split(" ")[2]), "one TYPE per family: " + line);
          continue;
        }
        if (line.startsWith("#")) {
          continue;
        }
        Matcher m = SAMPLE.matcher(line);
        assertTrue(m.matches(), "not a Prometheus sample line: " + line);
        String family = m.group(1).replaceAll("_(bucket|sum|count)$", "");
        assertTrue(typed.contains(family) || typed.contains(m.group(1)), "sample before its TYPE: " + line);
        samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3).replace("+Inf", "Infinity")));
      }
      assertEquals(3.0, samples.get("inference_predictions_tf_total{timeframe=\"1h\"}"));
      assertEquals(2.0, samples.get("inference_dead_letters_total{reason=\"late_bar\"}"));
      assertEquals(1.0, samples.get("inference_event_to_publish_latency_ms_bucket{le=\"10\"}"));
      assertEquals(2.0, samples.get("inference_event_to_publish_latency_ms_bucket{le=\"50\"}"));
      assertEquals(2.0, samples.get("inference_event_to_publish_latency_ms_bucket{le=\"60000\"}"));
      assertEquals(3.0, samples.get("inference_event_to_publish_latency_ms_bucket{le=\"+Inf\"}"));
      assertEquals(3.0, samples.get("inference_event_to_publish_latency_ms_count"));
      assertEquals(70_047.0, samples.get("inference_event_to_publish_latency_ms_sum"));
      assertEquals(12.0, samples.get("inference_request_batch_size_sum"));
      assertEquals(2.0, samples.get("inference_request_batch_size_count"));
      assertEquals(4.0, samples.get("inference_request_batch_size_min"));
      assertEquals(250.0, samples.get("inference_feature_psi_milli{feature=\"rsi_14\",model=\"swing-high-v1-1h\"}"));
      assertEquals(1.0, samples.get("inference_pipeline_up"));
      assertTrue(metrics.body().contains("# TYPE inference_event_to_publish_latency_ms histogram"));

      assertEquals(200, get(ready.port(), "/health").statusCode());
      assertEquals(200, get(ready.port(), "/ready").statusCode());
      HttpResponse<String> waiting = get(notReady.port(), "/ready");
      assertEquals(503, waiting.statusCode());
      JsonNode body = new ObjectMapper().readTree(waiting.body());
      assertEquals(2, body.get("model_versions_serving").asInt());
      assertEquals(3, body.get("model_versions_expected").asInt());

      result.cancel();
      HttpResponse<String> health = get(ready.port(), "/health");
      assertEquals(503, health.statusCode());
      assertTrue(health.body().contains("CANCELLED"), health.body());
    }
  }

  @Test
  void metricsEventsCarryTheIntervalsDeltas() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    EventJson.Envelope env = new EventJson.Envelope("test", "live", "live");
    try (MonitoringServer server = new MonitoringServer(-1, 1, null, Duration.ofMillis(300), events::add, env, new StartupStatus())) {
      Thread.sleep(1000);
      assertTrue(events.isEmpty(), "no metrics events before a pipeline is attached");
      server.attach(result);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (events.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    List<JsonNode> parsed = new ArrayList<>();
    for (String e : events) {
      parsed.add(new ObjectMapper().readTree(e));
    }
    JsonNode first = parsed.get(0);
    assertEquals("inference_metrics", first.get("event_type").asText());
    assertEquals(3, first.get("predictions").get("1h").asLong(), "everything so far lands in the first interval");
    assertEquals(2, first.get("dead_letters").get("late_bar").asLong());
    assertEquals(0.4, first.get("error_rate").asDouble(), 1e-9);
    JsonNode latency = first.get("latency_ms").get("event_to_publish");
    assertEquals(3, latency.get("count").asLong());
    assertEquals(50, latency.get("p50_at_most").asLong());
    assertEquals(300_000, latency.get("p99_at_most").asLong());
    assertEquals(6.0, first.get("batch_size_mean").asDouble(), 1e-9);
    JsonNode second = parsed.get(1);
    assertTrue(second.get("predictions").isEmpty(), "nothing new in the second interval: " + second);
    assertTrue(!second.get("event_id").asText().equals(first.get("event_id").asText()));
  }

  @Test
  void beforeThePipelineStartsHealthSaysWhatItWaitsFor() throws Exception {
    StartupStatus startup = new StartupStatus();
    startup.starting("the Kafka broker at 127.0.0.1:1");
    try (MonitoringServer server = new MonitoringServer(0, 1, null, Duration.ofHours(1), null,
        new EventJson.Envelope("test", "live", "live"), startup)) {
      HttpResponse<String> health = get(server.port(), "/health");
      assertEquals(503, health.statusCode());
      JsonNode h = new ObjectMapper().readTree(health.body());
      assertEquals("starting", h.get("status").asText());
      assertEquals("the Kafka broker at 127.0.0.1:1", h.get("waiting_for").asText());
      assertEquals(503, get(server.port(), "/ready").statusCode());
      assertTrue(get(server.port(), "/metrics").body().contains("inference_pipeline_up 0"));
      server.attach(result);
      HttpResponse<String> up = get(server.port(), "/health");
      assertEquals(200, up.statusCode(), up.body());
      assertEquals("ok", new ObjectMapper().readTree(up.body()).get("registry").asText());
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
