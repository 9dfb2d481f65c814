package com.cryptoml.inference.runners.monitoring;

import com.cryptoml.inference.pipelines.streaming.RefreshActiveModels;
import com.cryptoml.inference.runners.startup.StartupStatus;
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
 * Beam metrics, consumer lag, whether the pipeline runs), {@code /health} and {@code /ready}, and an
 * {@code inference_metrics} event every interval. It starts before the pipeline, so while the
 * stream waits for its broker or registry {@code /health} answers 503 with what it waits for; once
 * the pipeline is {@link #attach attached}, {@code /health} is 200 while it runs (and says whether
 * the registry answers) and {@code /ready} is 200 once every configured model version serves.
 */
public final class MonitoringServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MonitoringServer.class);

  static final String CONSUMER_LAG = "kafka_consumer_lag_";

  private final int expectedModels;
  private final @Nullable KafkaLag lag;
  private final @Nullable HttpServer http;
  private final StartupStatus startup;
  private final Duration interval;
  private final @Nullable Consumer<String> events;
  private final EventJson.Envelope envelope;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "inference-metrics-events");
    t.setDaemon(true);
    return t;
  });
  private volatile @Nullable PipelineResult result;
  private volatile MetricsSnapshot last;

  /**
   * @param port HTTP port; 0 picks a free one, negative serves no HTTP
   * @param expectedModels model versions that must have started serving before {@code /ready} says so
   * @param events receives each {@code inference_metrics} event once a pipeline is attached; null publishes none
   */
  public MonitoringServer(int port, int expectedModels, @Nullable KafkaLag lag, Duration interval,
      @Nullable Consumer<String> events, EventJson.Envelope envelope, StartupStatus startup) throws IOException {
    this.expectedModels = expectedModels;
    this.lag = lag;
    this.interval = interval;
    this.events = events;
    this.envelope = envelope;
    this.startup = startup;
    if (port >= 0) {
      http = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
      http.createContext("/metrics", x -> respond(x, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(snapshot(), extraGauges())));
      http.createContext("/health", x -> health(x));
      http.createContext("/ready", x -> ready(x));
      http.setExecutor(Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "monitoring-http");
        t.setDaemon(true);
        return t;
      }));
      http.start();
    } else {
      http = null;
    }
  }

  /** Serves and reports on {@code result} from now on; starts the {@code inference_metrics} events. */
  public void attach(PipelineResult result) {
    this.result = result;
    startup.started();
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

  private void health(HttpExchange x) throws IOException {
    if (result == null) {
      StartupStatus.Waiting w = startup.current();
      String body = EventJson.write(g -> {
        g.writeStringField("status", "starting");
        g.writeStringField("waiting_for", w.dependency() == null ? "pipeline start" : w.dependency());
        g.writeNumberField("attempts", w.attempts());
        if (w.lastError() != null) {
          g.writeStringField("last_error", w.lastError());
        }
        g.writeNumberField("waiting_seconds", (System.currentTimeMillis() - w.sinceMillis()) / 1000);
      });
      respond(x, 503, "application/json", body);
      return;
    }
    boolean up = running();
    long registryFailures = snapshot().gauges().getOrDefault(RefreshActiveModels.REGISTRY_FAILING, 0L);
    String body = EventJson.write(g -> {
      g.writeStringField("status", up ? "up" : "down");
      g.writeStringField("pipeline", state());
      g.writeStringField("registry", registryFailures > 0 ? "unreachable" : "ok");
      if (registryFailures > 0) {
        g.writeNumberField("registry_failed_polls", registryFailures);
      }
    });
    respond(x, up ? 200 : 503, "application/json", body);
  }

  private void ready(HttpExchange x) throws IOException {
    long serving = snapshot().counter(RefreshActiveModels.VERSION_CHANGES);
    boolean ready = running() && serving >= expectedModels;
    respond(x, ready ? 200 : 503, "application/json", "{\"ready\":" + ready + ",\"pipeline\":\"" + state()
        + "\",\"model_versions_serving\":" + serving + ",\"model_versions_expected\":" + expectedModels + "}");
  }

  private MetricsSnapshot snapshot() {
    PipelineResult r = result;
    if (r == null) {
      return MetricsSnapshot.empty(System.currentTimeMillis());
    }
    try {
      return MetricsSnapshot.of(r);
    } catch (RuntimeException e) {
      return MetricsSnapshot.empty(System.currentTimeMillis()); // the runner cannot be asked now
    }
  }

  private Map<String, Double> extraGauges() {
    Map<String, Double> out = new HashMap<>();
    out.put("pipeline_up", running() ? 1.0 : 0.0);
    if (lag != null && result != null) {
      lag.lag().forEach((partition, n) -> out.put(CONSUMER_LAG + partition, (double) n));
    }
    return out;
  }

  private String state() {
    PipelineResult r = result;
    if (r == null) {
      return "STARTING";
    }
    try {
      return r.getState().name();
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
