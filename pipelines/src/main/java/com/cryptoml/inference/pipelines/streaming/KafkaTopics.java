package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import java.util.ArrayList;
import java.util.List;

/** Every topic a Kafka stream reads or writes with these options, for creating them. */
public final class KafkaTopics {
  private KafkaTopics() {}

  public static List<String> of(StreamOptions options) {
    List<String> topics = new ArrayList<>();
    for (Timeframe tf : Timeframe.values()) {
      topics.add(options.getFeatureTopicPrefix() + tf.code());
    }
    predictionTopics(topics, options.getPredictionsTopic(), options.getPredictionTopicPerTimeframe());
    if (options.getChallengerTopic() != null) {
      predictionTopics(topics, options.getChallengerTopic(), options.getPredictionTopicPerTimeframe());
    }
    topics.add(options.getDeadLetterTopic());
    topics.add(options.getEventsTopic());
    topics.add(options.getMetricsTopic());
    return topics;
  }

  private static void predictionTopics(List<String> topics, String topic, boolean perTimeframe) {
    if (!perTimeframe) {
      topics.add(topic);
      return;
    }
    for (Timeframe tf : Timeframe.values()) {
      topics.add(topic + "." + tf.code());
    }
  }
}
