package com.cryptoml.inference.runners.ops;

import com.cryptoml.inference.pipelines.config.CommandLine;
import com.cryptoml.inference.pipelines.streaming.KafkaSecurity;
import com.cryptoml.inference.runners.cli.Cli;
import com.cryptoml.inference.runners.cli.UsageException;
import com.cryptoml.inference.runners.startup.Dependencies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./inference tail}: prints a topic's events as they arrive, one readable line each (or the raw
 * JSON), filtered by model, symbol, timeframe or role. Reads without a consumer group, so it never
 * moves anyone's offsets.
 */
public final class TailCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TailCommand() {}

  public static int run(String[] args, PrintStream out) {
    TailOptions o = CommandLine.parse(args, TailOptions.class);
    String from = o.getFrom().toLowerCase(Locale.ROOT);
    if (!from.equals("latest") && !from.equals("earliest")) {
      throw new UsageException("--from: '" + o.getFrom() + "' is not latest or earliest");
    }
    Map<String, Object> client = KafkaSecurity.load(o.getKafkaPropertiesFile());
    Optional<String> broker = Dependencies.broker(o.getBootstrapServers(), client);
    if (broker.isPresent()) {
      throw new IllegalStateException("the Kafka broker at " + o.getBootstrapServers() + " does not answer: " + broker.get());
    }
    Map<String, Object> p = new HashMap<>(client);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.getBootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<PartitionInfo> infos = consumer.partitionsFor(o.getTopic(), Duration.ofSeconds(10));
      if (infos == null || infos.isEmpty()) {
        throw new UsageException("--topic: no topic '" + o.getTopic() + "' at " + o.getBootstrapServers());
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      consumer.assign(partitions);
      if (from.equals("earliest")) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix "latest" now, not at the first poll
      }
      int printed = 0;
      long lastEvent = System.nanoTime();
      while (true) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          lastEvent = System.nanoTime();
          JsonNode e = parse(r.value());
          if (e == null || !matches(e, o)) {
            continue;
          }
          out.println(o.getJson() ? r.value() : EventLine.of(e));
          if (o.getLimit() > 0 && ++printed >= o.getLimit()) {
            return Cli.OK;
          }
        }
        if (o.getIdleSeconds() > 0 && System.nanoTime() - lastEvent > Duration.ofSeconds(o.getIdleSeconds()).toNanos()) {
          return Cli.OK;
        }
      }
    }
  }

  private static JsonNode parse(String value) {
    try {
      return JSON.readTree(value);
    } catch (Exception e) {
      return null;
    }
  }

  static boolean matches(JsonNode e, TailOptions o) {
    return field(e, "model_id", o.getModel()) && field(e, "symbol", o.getSymbol()) && field(e, "timeframe", o.getTimeframe())
        && field(e, "model_role", o.getRole());
  }

  private static boolean field(JsonNode e, String name, String wanted) {
    return wanted == null || wanted.equalsIgnoreCase(e.path(name).asText(""));
  }
}
