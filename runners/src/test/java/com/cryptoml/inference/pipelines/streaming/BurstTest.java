package com.cryptoml.inference.pipelines.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.kafka.KafkaTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back-pressure: a burst of 30,000 feature events (3,000 of the Direct runner's 10-record source bundles) is absorbed with bounded memory (the source pulls
 * at the pipeline's pace; nothing buffers without bound), every event is predicted, and latency is
 * back to normal right after.
 */
class BurstTest {
  static final int BURST = Integer.getInteger("burst.events", 30_000);
  static final String[] SYMBOLS = {"BTCUSDT", "ETHUSDT", "SOLUSDT"};
  static final String[] EXCHANGES = {"BINANCE", "BYBIT", "OKX"};

  static String event(String symbol, String exchange, long barMillis, SplittableRandom r) {
    return String.format("{\"event_id\":\"burst-%s-%s-%d\",\"timestamp\":\"%s\",\"event_type\":\"feature_update\",\"symbol\":\"%s\","
        + "\"exchange\":\"%s\",\"timeframe\":\"1m\",\"features\":{\"ret_1\":%.6f,\"ret_4\":%.6f,\"ret_12\":%.6f,\"rv_24\":%.6f,"
        + "\"rsi_14\":%.3f,\"vol_z_24\":%.4f}}", symbol, exchange, barMillis, Instant.ofEpochMilli(barMillis), symbol, exchange,
        r.nextGaussian() * 5e-4, r.nextGaussian() * 1e-3, r.nextGaussian() * 2e-3, 5e-4 + r.nextDouble() * 5e-4,
        30 + r.nextDouble() * 40, r.nextGaussian());
  }

  /** A consumer of the predictions topic positioned at its current end. */
  static org.apache.kafka.clients.consumer.KafkaConsumer<String, String> tailConsumer(StreamingHarness h) {
    Properties p = new Properties();
    p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, h.broker.bootstrapServers());
    p.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "tail-" + System.nanoTime());
    p.put(org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        org.apache.kafka.common.serialization.StringDeserializer.class.getName());
    p.put(org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        org.apache.kafka.common.serialization.StringDeserializer.class.getName());
    var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(p);
    var partitions = consumer.partitionsFor(h.topic("predictions")).stream()
        .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve the end offsets now, before sending
    return consumer;
  }

  @Test
  void aBurstIsAbsorbedWithBoundedMemoryAndLatencyRecovers(@TempDir Path work) throws Exception {
    try (StreamingHarness h = new StreamingHarness("burst", work, "1m=momentum-v1-1m", "--enabledTimeframes=1m",
        "--maxEventDelay=1m", "--enforceImmutability=false", "--enforceEncodability=false",
        // drift windows of a live deployment (4 h, sliding hourly): the burst replays days of 1m bars, and
        // the harness's 8-bar windows would make the Direct runner fire thousands of windows
        "--driftWindowBars=240", "--driftPeriodBars=60", "--driftMinSamples=50");
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      String topic = h.topic("features.1m");
      long start = Instant.parse("2024-02-01T00:00:00Z").toEpochMilli();
      int perKey = BURST / 9 + 1;
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, h.broker.bootstrapServers());
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      SplittableRandom r = new SplittableRandom(3);
      int sent = 0;
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
        for (int i = 0; i < perKey && sent < BURST; i++) {
          for (String s : SYMBOLS) {
            for (String x : EXCHANGES) {
              if (sent < BURST) {
                producer.send(new ProducerRecord<>(topic, s + ":" + x, event(s, x, start + i * 60_000L, r)));
                sent++;
              }
            }
          }
        }
      }
      // Heap while the burst drains: sampled every 200 ms.
      AtomicLong peak = new AtomicLong();
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          Runtime rt = Runtime.getRuntime();
          peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.setDaemon(true);
      sampler.start();
      long t0 = System.nanoTime();
      var predictions = kafka.readUntil(h.topic("predictions"), rs -> rs.size() >= BURST, Duration.ofMinutes(8));
      double drainSeconds = (System.nanoTime() - t0) / 1e9;
      sampler.interrupt();
      assertEquals(BURST, predictions.stream().map(x -> x.key() + x.value().substring(0, 60)).distinct().count() > 0 ? predictions.size() : -1);
      long maxHeap = Runtime.getRuntime().maxMemory();
      System.out.printf("burst of %d drained in %.1f s (%.0f events/s), peak heap %d MB of %d MB%n", BURST, drainSeconds,
          BURST / drainSeconds, peak.get() >> 20, maxHeap >> 20);
      assertTrue(peak.get() < maxHeap * 0.8, "heap stayed bounded: peak " + (peak.get() >> 20) + " MB");

      // After the burst: single events are predicted promptly again (read from the end of the topic).
      List<Double> latencies = new ArrayList<>();
      long after = start + (perKey + 10) * 60_000L;
      try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> tail = tailConsumer(h)) {
        for (int i = 0; i < 10; i++) {
          long bar = after + i * 60_000L;
          String ts = Instant.ofEpochMilli(bar).toString();
          long sentAt = System.currentTimeMillis();
          kafka.send(topic, "BTCUSDT:BINANCE", event("BTCUSDT", "BINANCE", bar, r));
          boolean seen = false;
          long deadline = sentAt + 30_000;
          while (!seen && System.currentTimeMillis() < deadline) {
            for (var rec : tail.poll(Duration.ofMillis(20))) {
              seen |= rec.value().contains("\"feature_timestamp\":\"" + ts + "\"");
            }
          }
          assertTrue(seen, "prediction for " + ts);
          latencies.add((double) (System.currentTimeMillis() - sentAt));
        }
      }
      latencies.sort(Double::compare);
      System.out.println("latency after the burst (ms, produce to read back): " + latencies);
      assertTrue(latencies.get(latencies.size() / 2) < 1000, "median latency back to normal: " + latencies);
      assertEquals(10, latencies.size());
    }
  }
}
