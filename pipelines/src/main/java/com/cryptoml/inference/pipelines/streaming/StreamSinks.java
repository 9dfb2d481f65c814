package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Partition;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a stream's outputs go: predictions (challengers to their own topic when one is set), dead
 * letters, platform events and monitoring events, to Kafka or Pub/Sub.
 */
final class StreamSinks {
  private StreamSinks() {}

  static void publish(StreamOptions options, Map<String, Object> kafkaSettings, PCollection<PredictionEvent> predictions,
      PCollection<KV<String, String>> errors, PCollection<KV<String, String>> events, @Nullable PCollection<KV<String, String>> quality) {
    if (options.getTransport() == StreamOptions.Transport.KAFKA) {
      KafkaSinks sinks = new KafkaSinks(options.getBootstrapServers(), kafkaSettings, options.getKafkaExactlyOnce());
      boolean perTimeframe = options.getPredictionTopicPerTimeframe();
      publishPredictions(predictions, sinks.predictions(options.getPredictionsTopic(), perTimeframe),
          options.getChallengerTopic() == null ? null : sinks.predictions(options.getChallengerTopic(), perTimeframe));
      errors.apply("PublishDeadLetters", sinks.json(options.getDeadLetterTopic()));
      events.apply("PublishEvents", sinks.json(options.getEventsTopic()));
      if (quality != null) {
        quality.apply("PublishQualityEvents", sinks.json(options.getMetricsTopic()));
      }
      return;
    }
    publishPredictions(predictions, PubsubTransport.predictions(options.getPubsubPredictionsTopic()),
        options.getPubsubChallengerTopic() == null ? null : PubsubTransport.predictions(options.getPubsubChallengerTopic()));
    errors.apply("PublishDeadLetters", PubsubTransport.json(options.getPubsubDeadLetterTopic()));
    events.apply("PublishEvents", PubsubTransport.json(options.getPubsubEventsTopic()));
    if (options.getPubsubMetricsTopic() != null && quality != null) {
      quality.apply("PublishQualityEvents", PubsubTransport.json(options.getPubsubMetricsTopic()));
    }
  }

  /** All predictions to one sink, or champions and pinned versions to one and challengers to the other. */
  private static void publishPredictions(PCollection<PredictionEvent> predictions,
      PTransform<PCollection<PredictionEvent>, PDone> main, @Nullable PTransform<PCollection<PredictionEvent>, PDone> challengers) {
    if (challengers == null) {
      predictions.apply("PublishPredictions", main);
      return;
    }
    PCollectionList<PredictionEvent> byRole = predictions.apply("SplitChallengers",
        Partition.of(2, (PredictionEvent e, int n) -> ModelRef.ROLE_CHALLENGER.equals(e.getModelRole()) ? 1 : 0));
    byRole.get(0).apply("PublishPredictions", main);
    byRole.get(1).apply("PublishChallengerPredictions", challengers);
  }
}
