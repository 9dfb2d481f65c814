package com.cryptoml.inference.devtools.bench;

import com.cryptoml.inference.devtools.LatencyStats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Feeds 1m feature updates for {@code symbols x 3 exchanges} keys (nine by default) into a topic at a
 * fixed rate (or as fast as the producer goes) and measures, with a separate consumer of the predictions
 * topic, the time from handing each update to the producer to reading its prediction back. Bar times
 * keep advancing across runs, so one stream can be measured at several rates in turn.
 */
final class StreamLoad {
  static final String[] EXCHANGES = {"BINANCE", "BYBIT", "OKX"};
  private static final String[] LISTED = {"BTCUSDT", "ETHUSDT", "SOLUSDT"};
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Predictions read later than this count as late in the timeline. */
  static final double LATE_MS = 400;
  /** A fresh pipeline's first seconds at a rate are its JIT's warm-up: {@link Result#steady} leaves them out. */
  static final int WARMUP_SECONDS = 30;

  record Result(int rate, long sent, long received, double sendSeconds, double lastReceiveSeconds, long backlogWhenSendingStopped,
      Readings readings, CpuUse.Share cpu) {
    LatencyStats latency() {
      return readings.latency;
    }

    /** Latency after the first {@link #WARMUP_SECONDS}. */
    LatencyStats steady() {
      return readings.steady;
    }

    /** The 10-s windows of reading in which predictions came late: when the tail happened. */
    String lateTimeline() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < readings.lateBy10s.length(); i++) {
        if (readings.lateBy10s.get(i) > 0) {
          b.append(String.format("%n    t=%4d s: %,d of %,d over %.0f ms", i * 10, readings.lateBy10s.get(i), readings.readBy10s.get(i),
              LATE_MS));
        }
      }
      return b.length() == 0 ? " none" : b.toString();
    }

    /** Predictions per second from the first send to the last prediction read. */
    double receivedPerSecond() {
      return received / Math.max(sendSeconds, lastReceiveSeconds);
    }

    /** Kept up: at most one second of events behind when sending stopped, and everything arrived. */
    boolean sustained() {
      return received >= sent && backlogWhenSendingStopped <= Math.max(10, rate);
    }
  }

  private final String bootstrap;
  private final String featureTopic;
  private final String predictionsTopic;
  private final List<String> symbols;
  private final SplittableRandom random = new SplittableRandom(11);
  private long nextBar;
  // The next key of the current bar: runs continue where the last one stopped, so no bar is sent twice
  // (the pipeline dead-letters a repeated bar as duplicate_bar).
  private int nextKey;

  StreamLoad(String bootstrap, String featureTopic, String predictionsTopic, long firstBarMillis, List<String> symbols) {
    this.bootstrap = bootstrap;
    this.symbols = symbols;
    this.featureTopic = featureTopic;
    this.predictionsTopic = predictionsTopic;
    this.nextBar = firstBarMillis;
  }

  /**
   * The load's symbols: the three configured ones, then made-up ones. With more keys a given rate
   * moves bar time more slowly and spreads over more keys, closer to a live feed than nine keys whose
   * bars come 111 a second each at 1,000 events/s.
   */
  static List<String> symbols(int count) {
    List<String> s = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      s.add(i < LISTED.length ? LISTED[i] : String.format("S%04dUSDT", i));
    }
    return s;
  }

  static String event(String symbol, String exchange, long barMillis, SplittableRandom r) {
    return String.format("{\"event_id\":\"bench-%s-%s-%d\",\"timestamp\":\"%s\",\"event_type\":\"feature_update\",\"symbol\":\"%s\","
        + "\"exchange\":\"%s\",\"timeframe\":\"1m\",\"features\":{\"ret_1\":%.6f,\"ret_4\":%.6f,\"ret_12\":%.6f,\"rv_24\":%.6f,"
        + "\"rsi_14\":%.3f,\"vol_z_24\":%.4f,\"dist_high_24\":%.5f,\"dist_low_24\":%.5f,\"atr_14\":%.6f}}", symbol, exchange, barMillis,
        Instant.ofEpochMilli(barMillis), symbol, exchange, r.nextGaussian() * 5e-4, r.nextGaussian() * 1e-3, r.nextGaussian() * 2e-3,
        5e-4 + r.nextDouble() * 5e-4, 30 + r.nextDouble() * 40, r.nextGaussian(), -r.nextDouble() * 0.01, r.nextDouble() * 0.01,
        5e-4 + r.nextDouble() * 5e-4);
  }

  private static String key(String symbol, String exchange, long barMillis) {
    return symbol + "|" + exchange + "|" + barMillis;
  }

  /**
   * Sends 20 events/s, a second at a time, until predictions come back: the program under test has taken
   * its offsets and loaded its model. Events sent before its reader took its offsets are never read, so
   * a fixed send followed by a long wait for all of them would wait for nothing. False after {@code maxSeconds}.
   */
  boolean awaitFlow(int maxSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(maxSeconds).toNanos();
    while (System.nanoTime() < deadline) {
      if (run(20, 1, 2).received() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sends for {@code seconds} at {@code rate} events/s (0: as fast as the producer goes), then waits up
   * to {@code drainSeconds} for the predictions.
   */
  Result run(int rate, int seconds, int drainSeconds) throws InterruptedException {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Readings readings = new Readings(seconds + drainSeconds);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean ready = new AtomicBoolean();
    Thread consumer = new Thread(() -> consume(sentAt, readings, stop, ready), "bench-latency-consumer");
    consumer.setDaemon(true);
    consumer.start();
    while (!ready.get()) {
      Thread.sleep(10);
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    long sent = 0;
    CpuUse cpu = CpuUse.now();
    long start = System.nanoTime();
    readings.startedAt = start;
    long end = start + Duration.ofSeconds(seconds).toNanos();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      while (System.nanoTime() < end) {
        if (rate > 0) {
          long due = start + (long) (sent * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 200_000) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        String symbol = symbols.get(nextKey / EXCHANGES.length);
        String exchange = EXCHANGES[nextKey % EXCHANGES.length];
        sentAt.put(key(symbol, exchange, nextBar), System.nanoTime());
        producer.send(new ProducerRecord<>(featureTopic, symbol + ":" + exchange, event(symbol, exchange, nextBar, random)));
        sent++;
        if (++nextKey == symbols.size() * EXCHANGES.length) {
          nextKey = 0;
          nextBar += 60_000;
        }
      }
      producer.flush();
    }
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    CpuUse.Share sending = cpu.since();
    long backlog = sent - readings.received.get();
    long drainUntil = System.nanoTime() + Duration.ofSeconds(drainSeconds).toNanos();
    while (readings.received.get() < sent && System.nanoTime() < drainUntil) {
      Thread.sleep(50);
    }
    stop.set(true);
    consumer.join(5_000);
    long last = readings.lastReceive.get();
    double lastReceiveSeconds = last == 0 ? 0 : (last - start) / 1e9;
    return new Result(rate, sent, readings.received.get(), sendSeconds, lastReceiveSeconds, backlog, readings, sending);
  }

  /** What the latency consumer records, from the consumer thread. */
  static final class Readings {
    final LatencyStats latency = new LatencyStats();
    final LatencyStats steady = new LatencyStats();
    final AtomicLong received = new AtomicLong();
    final AtomicLong lastReceive = new AtomicLong();
    final AtomicLongArray lateBy10s;
    final AtomicLongArray readBy10s;
    volatile long startedAt = System.nanoTime();

    Readings(int seconds) {
      lateBy10s = new AtomicLongArray(seconds / 10 + 2);
      readBy10s = new AtomicLongArray(lateBy10s.length());
    }

    void record(long now, long sentAt) {
      double ms = (now - sentAt) / 1e6;
      latency.add(ms);
      if (now - startedAt >= WARMUP_SECONDS * 1_000_000_000L) {
        steady.add(ms);
      }
      int window = (int) Math.min(lateBy10s.length() - 1, Math.max(0, (now - startedAt) / 10_000_000_000L));
      readBy10s.incrementAndGet(window);
      if (ms > LATE_MS) {
        lateBy10s.incrementAndGet(window);
      }
      received.incrementAndGet();
      lastReceive.set(now);
    }
  }

  private void consume(Map<String, Long> sentAt, Readings readings, AtomicBoolean stop, AtomicBoolean ready) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + System.nanoTime());
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> partitions = consumer.partitionsFor(predictionsTopic).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      ready.set(true);
      while (!stop.get()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(5))) {
          long now = System.nanoTime();
          JsonNode e = JSON.readTree(r.value());
          Long at = sentAt.remove(key(e.get("symbol").asText(), e.get("exchange").asText(),
              Instant.parse(e.get("feature_timestamp").asText()).toEpochMilli()));
          if (at != null) {
            readings.record(now, at);
          }
        }
      }
    } catch (Exception e) {
      if (!stop.get()) {
        e.printStackTrace();
      }
    }
  }
}
