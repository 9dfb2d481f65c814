package com.cryptoml.inference.pipelines.io;

import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where a platform event goes, from one string: {@code file:PATH} (local or gs://, written as
 * exactly that file), {@code kafka:BOOTSTRAP/TOPIC}, or {@code pubsub:projects/P/topics/T}.
 */
public final class EventSinks {
  private EventSinks() {}

  /** A sink for a PCollection that holds one event (the batch completion event). */
  public static PTransform<PCollection<String>, PDone> single(String sink) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<String> events) {
        if (sink.startsWith("file:")) {
          events.apply("WriteFile", SingleFile.to(sink.substring("file:".length())));
        } else if (sink.startsWith("kafka:")) {
          String spec = sink.substring("kafka:".length());
          int slash = spec.lastIndexOf('/');
          if (slash < 1) {
            throw new IllegalArgumentException("kafka sink must be kafka:BOOTSTRAP/TOPIC, got " + sink);
          }
          events.apply("WriteKafka", KafkaIO.<Void, String>write().withBootstrapServers(spec.substring(0, slash))
              .withTopic(spec.substring(slash + 1)).withValueSerializer(StringSerializer.class)
              // KafkaIO's default of 3 retries gives up during a broker restart; the delivery timeout bounds it.
              .withProducerConfigUpdates(Map.of(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE))
              .values());
        } else if (sink.startsWith("pubsub:")) {
          events.apply("WritePubsub", PubsubIO.writeStrings().to(sink.substring("pubsub:".length())));
        } else {
          throw new IllegalArgumentException("unknown event sink " + sink + " (file:, kafka:, pubsub:)");
        }
        return PDone.in(events.getPipeline());
      }
    };
  }
}
