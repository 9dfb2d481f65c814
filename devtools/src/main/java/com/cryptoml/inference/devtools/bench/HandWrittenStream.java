package com.cryptoml.inference.devtools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The streaming service a user would write instead: a plain consumer, the predictor on each poll's
 * records in batches, a producer. JSON in and out with Jackson's tree model; no validation, history,
 * imputation or dead letters.
 */
final class HandWrittenStream implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  HandWrittenStream(PlainPredictor model, String bootstrap, String in, String out, int batch) {
    thread = new Thread(() -> loop(model, bootstrap, in, out, batch), "hand-written-stream");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop(PlainPredictor model, String bootstrap, String in, String out, int batch) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "hand-written-" + System.nanoTime());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c); KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      consumer.subscribe(List.of(in));
      float[] buffer = new float[batch * model.width];
      List<JsonNode> pending = new ArrayList<>();
      while (!stop.get()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(5))) {
          JsonNode e = JSON.readTree(r.value());
          model.normalize(features(e), buffer, pending.size());
          pending.add(e);
          if (pending.size() == batch) {
            publish(model, buffer, pending, producer, out);
          }
        }
        publish(model, buffer, pending, producer, out);
        consumer.commitAsync();
      }
    } catch (Exception e) {
      if (!stop.get()) {
        e.printStackTrace();
      }
    }
  }

  private static void publish(PlainPredictor model, float[] buffer, List<JsonNode> pending, KafkaProducer<String, String> producer,
      String out) throws Exception {
    if (pending.isEmpty()) {
      return;
    }
    float[] p = model.predict(buffer, pending.size());
    int classes = p.length / pending.size();
    for (int i = 0; i < pending.size(); i++) {
      JsonNode e = pending.get(i);
      producer.send(new ProducerRecord<>(out, key(e), prediction(e, p, i, classes)));
    }
    pending.clear();
  }

  /** An update's features by name. */
  static Map<String, Double> features(JsonNode update) {
    Map<String, Double> features = new HashMap<>();
    update.get("features").fields().forEachRemaining(f -> features.put(f.getKey(), f.getValue().asDouble()));
    return features;
  }

  static String key(JsonNode update) {
    return update.get("symbol").asText() + ":" + update.get("exchange").asText();
  }

  /** The prediction message for row {@code i} of row-major probabilities: what {@link StreamLoad} reads back. */
  static String prediction(JsonNode update, float[] probabilities, int i, int classes) {
    int best = PlainPredictor.argmax(probabilities, i, classes);
    ObjectNode o = JSON.createObjectNode();
    o.put("symbol", update.get("symbol").asText());
    o.put("exchange", update.get("exchange").asText());
    o.put("feature_timestamp", update.get("timestamp").asText());
    o.put("prediction", best - 1);
    o.put("confidence", probabilities[i * classes + best]);
    return o.toString();
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(10_000);
  }
}
