package com.cryptoml.inference.runners.startup;

import com.cryptoml.inference.pipelines.config.ModelPreflight;
import com.cryptoml.inference.runners.cli.Cli;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The checks a stream waits on at start: does the broker answer, does the registry. */
public final class Dependencies {
  static final int BROKER_TIMEOUT_SECONDS = 3;

  private Dependencies() {}

  /** Empty when the Kafka cluster at {@code bootstrapServers} describes itself within a few seconds. */
  public static Optional<String> broker(String bootstrapServers, Map<String, Object> clientSettings) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, BROKER_TIMEOUT_SECONDS * 1000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, BROKER_TIMEOUT_SECONDS * 1000);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    try (Admin admin = Admin.create(p)) {
      int nodes = admin.describeCluster().nodes().get(BROKER_TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
      return nodes > 0 ? Optional.empty() : Optional.of("the cluster lists no brokers");
    } catch (TimeoutException e) {
      return Optional.of("no answer within " + BROKER_TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      return Optional.of(Cli.causes(e.getCause() == null ? e : e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    } catch (RuntimeException e) {
      return Optional.of(Cli.causes(e));
    }
  }

  /**
   * Empty when the registry answered the preflight (a reference it refuses is the running stream's
   * business, not a reason to wait); what was wrong when it could not be reached.
   */
  public static Optional<String> unreachable(ModelPreflight.Report report) {
    return report.rows().stream().filter(r -> "registry_unavailable".equals(r.reason())).findFirst().map(r -> r.detail());
  }
}
