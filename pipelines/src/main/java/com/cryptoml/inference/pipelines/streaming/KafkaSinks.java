package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka outputs. Predictions: key {@code symbol:exchange:timeframe}, headers {@code model_id},
 * {@code model_version}, {@code event_type}, to one topic or one per timeframe. Dead letters and
 * platform events: JSON values keyed by what they concern. Producers are idempotent with acks=all;
 * with exactly-once on, KafkaIO writes transactionally (Dataflow, Flink).
 */
public final class KafkaSinks {
  private final String bootstrapServers;
  private final Map<String, Object> clientSettings;
  private final boolean exactlyOnce;

  public KafkaSinks(String bootstrapServers, Map<String, Object> clientSettings, boolean exactlyOnce) {
    this.bootstrapServers = bootstrapServers;
    this.clientSettings = Map.copyOf(clientSettings);
    this.exactlyOnce = exactlyOnce;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> p = new HashMap<>(clientSettings);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000); // rides out a broker restart
    // KafkaIO's writers default to 3 retries, which a restart outlasts on a slow machine (a send failed
    // with NotLeaderOrFollowerException and stopped the pipeline); the delivery timeout is the bound.
    p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    return p;
  }

  public PTransform<PCollection<PredictionEvent>, PDone> predictions(String topic, boolean perTimeframe) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<PredictionEvent> events) {
        PCollection<ProducerRecord<String, String>> records = events
            .apply("ToProducerRecords", MapElements.into(new TypeDescriptor<ProducerRecord<String, String>>() {})
                .via((PredictionEvent e) -> {
                  RecordHeaders headers = new RecordHeaders();
                  headers.add(new RecordHeader("model_id", e.getModelId().getBytes(StandardCharsets.UTF_8)));
                  headers.add(new RecordHeader("model_version", e.getModelVersion().getBytes(StandardCharsets.UTF_8)));
                  headers.add(new RecordHeader("model_role", e.getModelRole().getBytes(StandardCharsets.UTF_8)));
                  headers.add(new RecordHeader("event_type", PredictionEvent.EVENT_TYPE.getBytes(StandardCharsets.UTF_8)));
                  return new ProducerRecord<>(perTimeframe ? topic + "." + e.getTimeframe() : topic, null,
                      e.getSymbol() + ":" + e.getExchange() + ":" + e.getTimeframe(), EventJson.prediction(e), headers);
                }))
            .setCoder(ProducerRecordCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
        KafkaIO.WriteRecords<String, String> write = KafkaIO.<String, String>writeRecords()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(producerConfig());
        if (exactlyOnce) {
          write = write.withEOS(1, "ml-inference-predictions");
        }
        return records.apply("WriteKafka", write);
      }
    };
  }

  /** JSON strings keyed by {@code key}, to one topic. */
  public PTransform<PCollection<KV<String, String>>, PDone> json(String topic) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<KV<String, String>> events) {
        KafkaIO.Write<String, String> write = KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(producerConfig());
        return events.apply("WriteKafka", write);
      }
    };
  }
}
