package com.cryptoml.inference.runners.monitoring;

import com.cryptoml.inference.transforms.events.EventJson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator of a stream run from this JVM looks at: Prometheus {@code /metrics} (the pipeline's
 * Beam metrics, consumer lag, whether the pipeline runs), {@code /health} (200 while the pipeline
 * runs) and {@code /ready} (200 once it runs and every configured model version has been loaded), and
 * an {@code inference_metrics} event every interval.
 */
public final class MonitoringServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MonitoringServer.class);

  static final String CONSUMER_LAG = "kafka_consumer_lag_";

  private final PipelineResult result;
  private final int expectedModels;
  private final @Nullable KafkaLag lag;
  private final @Nullable HttpServer http;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "inference-metrics-events");
    t.setDaemon(true);
    return t;
  });
  private volatile MetricsSnapshot last;

  /**
   * @param port HTTP port; 0 picks a free one, negative serves no HTTP
   * @param expectedModels model versions that must have started serving before {@code /ready} says so
   * @param events receives each {@code inference_metrics} event; null publishes none
   */
  public MonitoringServer(PipelineResult result, int port, int expectedModels, @Nullable KafkaLag lag, Duration interval,
      @Nullable Consumer<String> events, EventJson.Envelope envelope) throws IOException {
    this.result = result;
    this.expectedModels = expectedModels;
    this.lag = lag;
    if (port >= 0) {
      http = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
      http.createContext("/metrics", x -> respond(x, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(snapshot(), extraGauges())));
      http.createContext("/health", x -> {
        boolean up = running();
        respond(x, up ? 200 : 503, "application/json", "{\"status\":\"" + (up ? "up" : "down") + "\",\"pipeline\":\"" + state() + "\"}");
      });
      http.createContext("/ready", x -> {
        long serving = snapshot().counter("model_version_changes");
        boolean ready = running() && serving >= expectedModels;
        respond(x, ready ? 200 : 503, "application/json", "{\"ready\":" + ready + ",\"pipeline\":\"" + state()
            + "\",\"model_versions_serving\":" + serving + ",\"model_versions_expected\":" + expectedModels + "}");
      });
      http.setExecutor(Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "monitoring-http");
        t.setDaemon(true);
        return t;
      }));
      http.start();
    } else {
      http = null;
    }
    if (events != null) {
      last = MetricsSnapshot.empty(System.currentTimeMillis());
      scheduler.scheduleAtFixedRate(() -> {
        try {
          MetricsSnapshot now = snapshot();
          events.accept(InferenceMetricsEvent.of(last, now, lag == null ? Map.of() : lag.lag(), envelope));
          last = now;
        } catch (RuntimeException e) {
          LOG.warn("inference_metrics event not published: {}", e.toString());
        }
      }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The HTTP port (useful when 0 asked for a free one), or -1 without HTTP. */
  public int port() {
    return http == null ? -1 : http.getAddress().getPort();
  }

  private MetricsSnapshot snapshot() {
    try {
      return MetricsSnapshot.of(result);
    } catch (RuntimeException e) {
      return MetricsSnapshot.empty(System.currentTimeMillis()); // the runner cannot be asked now
    }
  }

  private Map<String, Double> extraGauges() {
    Map<String, Double> out = new HashMap<>();
    out.put("pipeline_up", running() ? 1.0 : 0.0);
    if (lag != null) {
      lag.lag().forEach((partition, n) -> out.put(CONSUMER_LAG + partition, (double) n));
    }
    return out;
  }

  private String state() {
    try {
      return result.getState().name();
    } catch (RuntimeException e) {
      return "UNKNOWN";
    }
  }

  private boolean running() {
    return state().equals("RUNNING");
  }

  private static void respond(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    if (http != null) {
      http.stop(0);
    }
    if (lag != null) {
      lag.close();
    }
  }
}
