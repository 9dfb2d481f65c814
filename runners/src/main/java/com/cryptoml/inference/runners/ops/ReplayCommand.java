package com.cryptoml.inference.runners.ops;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.config.CommandLine;
import com.cryptoml.inference.pipelines.streaming.KafkaSecurity;
import com.cryptoml.inference.runners.cli.Cli;
import com.cryptoml.inference.runners.cli.UsageException;
import com.cryptoml.inference.runners.replay.HistoryReplay;
import com.cryptoml.inference.runners.replay.ReplaySender;
import com.cryptoml.inference.runners.startup.Dependencies;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@code ./inference replay}: feeds feature history into the feature topics in event-time order,
 * keyed as the stream reads them, so a stream can be driven from a real broker with recorded data.
 */
public final class ReplayCommand {
  static final int PARTITIONS = 3;

  private ReplayCommand() {}

  public static int run(String[] args, PrintStream out) throws Exception {
    ReplayOptions o = CommandLine.parse(args, ReplayOptions.class);
    if (o.getSpeed() < 0) {
      throw new UsageException("--speed: " + o.getSpeed() + " is negative (0 replays as fast as the broker takes it)");
    }
    long from = instant("from", o.getFrom(), Long.MIN_VALUE);
    long to = instant("to", o.getTo(), Long.MAX_VALUE);
    if (to <= from) {
      throw new UsageException("--to (" + o.getTo() + ") is not after --from (" + o.getFrom() + ")");
    }
    Map<String, Object> client = KafkaSecurity.load(o.getKafkaPropertiesFile());
    Optional<String> broker = Dependencies.broker(o.getBootstrapServers(), client);
    if (broker.isPresent()) {
      throw new IllegalStateException("the Kafka broker at " + o.getBootstrapServers() + " does not answer: " + broker.get());
    }
    List<HistoryReplay.Message> messages = HistoryReplay.load(Path.of(o.getInput()), from, to);
    if (messages.isEmpty()) {
      out.println("No bars in " + o.getInput() + " between " + text(o.getFrom()) + " and " + text(o.getTo()) + "; nothing sent.");
      return Cli.OK;
    }
    Set<String> topics = new TreeSet<>();
    messages.forEach(m -> topics.add(o.getFeatureTopicPrefix() + Timeframe.of(m.timeframe()).code()));
    createMissing(o.getBootstrapServers(), client, topics);
    out.printf("Replaying %,d bars (%s to %s) into %s at %s%s ...%n", messages.size(),
        Instant.ofEpochMilli(messages.get(0).barMillis()), Instant.ofEpochMilli(messages.get(messages.size() - 1).barMillis()),
        topics, o.getBootstrapServers(), o.getSpeed() > 0 ? ", " + o.getSpeed() + "x market time" : "");
    long start = System.nanoTime();
    long sent = new ReplaySender(o.getBootstrapServers(), client, o.getFeatureTopicPrefix()).send(messages, o.getSpeed(), m -> {},
        () -> false);
    out.printf("Sent %,d bars in %.1f s.%n", sent, (System.nanoTime() - start) / 1e9);
    return Cli.OK;
  }

  private static long instant(String option, String text, long unset) {
    if (text == null || text.isBlank()) {
      return unset;
    }
    try {
      return Instant.parse(text.trim()).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new UsageException("--" + option + ": '" + text + "' is not an RFC 3339 instant such as 2024-03-01T00:00:00Z");
    }
  }

  private static String text(String instant) {
    return instant == null ? "the end" : instant;
  }

  private static void createMissing(String bootstrapServers, Map<String, Object> client, Set<String> topics) throws Exception {
    Properties p = new Properties();
    p.putAll(client);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String t : topics) {
        if (!existing.contains(t)) {
          missing.add(new NewTopic(t, Optional.of(PARTITIONS), Optional.empty()));
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }
}
