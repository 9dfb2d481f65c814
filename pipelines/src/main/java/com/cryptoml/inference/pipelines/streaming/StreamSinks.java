package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.Map;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Where a stream's outputs go: predictions, dead letters, platform events and monitoring events, to Kafka or Pub/Sub. */
final class StreamSinks {
  private StreamSinks() {}

  static void publish(StreamOptions options, Map<String, Object> kafkaSettings, PCollection<PredictionEvent> predictions,
      PCollection<KV<String, String>> errors, PCollection<KV<String, String>> events, @Nullable PCollection<KV<String, String>> quality) {
    if (options.getTransport() == StreamOptions.Transport.KAFKA) {
      KafkaSinks sinks = new KafkaSinks(options.getBootstrapServers(), kafkaSettings, options.getKafkaExactlyOnce());
      predictions.apply("PublishPredictions", sinks.predictions(options.getPredictionsTopic(), options.getPredictionTopicPerTimeframe()));
      errors.apply("PublishDeadLetters", sinks.json(options.getDeadLetterTopic()));
      events.apply("PublishEvents", sinks.json(options.getEventsTopic()));
      if (quality != null) {
        quality.apply("PublishQualityEvents", sinks.json(options.getMetricsTopic()));
      }
      return;
    }
    predictions.apply("PublishPredictions", PubsubTransport.predictions(options.getPubsubPredictionsTopic()));
    errors.apply("PublishDeadLetters", PubsubTransport.json(options.getPubsubDeadLetterTopic()));
    events.apply("PublishEvents", PubsubTransport.json(options.getPubsubEventsTopic()));
    if (options.getPubsubMetricsTopic() != null && quality != null) {
      quality.apply("PublishQualityEvents", PubsubTransport.json(options.getPubsubMetricsTopic()));
    }
  }
}
