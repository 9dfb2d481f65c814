package com.cryptoml.inference.pipelines.options;

import com.cryptoml.inference.transforms.config.InferenceOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Live inference: where feature updates come from and where predictions, dead letters and events go. */
public interface StreamOptions extends InferenceOptions, KafkaClientOptions, FeatureTopicOptions {
  /** Where feature updates come from and predictions go. */
  enum Transport {
    KAFKA,
    PUBSUB
  }

  /** What a caught-up Kafka partition's watermark follows. */
  enum WatermarkClock {
    /** The wall clock: live data. */
    WALL,
    /** The newest bar time: replays of history through Kafka. */
    EVENT
  }

  /** Where a consumer group without committed offsets starts. */
  enum StartOffset {
    LATEST,
    EARLIEST;

    /** Kafka's {@code auto.offset.reset} value. */
    public String kafka() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Description("KAFKA or PUBSUB")
  @Default.Enum("KAFKA")
  Transport getTransport();

  void setTransport(Transport value);

  @Description("Predictions topic (or prefix, with --predictionTopicPerTimeframe)")
  @Default.String("predictions")
  String getPredictionsTopic();

  void setPredictionsTopic(String value);

  @Description("Publish predictions to PREDICTIONS_TOPIC.<timeframe> instead of one topic")
  @Default.Boolean(false)
  boolean getPredictionTopicPerTimeframe();

  void setPredictionTopicPerTimeframe(boolean value);

  @Description("Topic (or prefix, with --predictionTopicPerTimeframe) for predictions of challenger references "
      + "(model_role challenger); unset: they share the predictions topic and consumers filter on model_role")
  String getChallengerTopic();

  void setChallengerTopic(String value);

  @Description("Dead-letter topic (inference_error events)")
  @Default.String("inference.dlq")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description("Platform events topic (model_version_changed, model_version_refused, registry_unavailable)")
  @Default.String("inference.events")
  String getEventsTopic();

  void setEventsTopic(String value);

  @Description("Run the quality transforms (drift, realized outcomes, accuracy) in the stream; false leaves the "
      + "inference path and the operational metrics alone")
  @Default.Boolean(true)
  boolean getQualityMonitoring();

  void setQualityMonitoring(boolean value);

  @Description("Monitoring events topic (inference_metrics, feature_drift, prediction_mix, model_accuracy)")
  @Default.String("inference.metrics")
  String getMetricsTopic();

  void setMetricsTopic(String value);

  @Description("Consumer group; offsets are committed only once the results of a bundle are written")
  @Default.String("ml-inference-service")
  String getConsumerGroup();

  void setConsumerGroup(String value);

  @Description("Where a consumer group without committed offsets starts: LATEST or EARLIEST")
  @Default.Enum("LATEST")
  StartOffset getStartOffset();

  void setStartOffset(StartOffset value);

  @Description("How far behind the newest bar time the watermark trails (out-of-order tolerance), e.g. 10s")
  @Default.String("10s")
  String getMaxEventDelay();

  void setMaxEventDelay(String value);

  @Description("WALL: a caught-up partition's watermark follows the clock (live data); EVENT: it follows the newest "
      + "bar time (replays of history through Kafka)")
  @Default.Enum("WALL")
  WatermarkClock getWatermarkClock();

  void setWatermarkClock(WatermarkClock value);

  @Description("Seconds between model registry polls")
  @Default.Integer(30)
  int getModelRefreshSeconds();

  void setModelRefreshSeconds(int value);

  @Description("Exactly-once Kafka sink (transactions; Dataflow and Flink runners, not the Direct runner)")
  @Default.Boolean(false)
  boolean getKafkaExactlyOnce();

  void setKafkaExactlyOnce(boolean value);

  @Description("Pub/Sub: the message attribute holding the bar close time (RFC 3339 or epoch millis), the event time;"
      + " unset: the publish time")
  String getPubsubTimestampAttribute();

  void setPubsubTimestampAttribute(String value);

  @Description("Pub/Sub: feature subscriptions are PREFIX + timeframe, e.g. projects/p/subscriptions/features-")
  String getPubsubSubscriptionPrefix();

  void setPubsubSubscriptionPrefix(String value);

  @Description("Pub/Sub: predictions topic, projects/P/topics/T")
  String getPubsubPredictionsTopic();

  void setPubsubPredictionsTopic(String value);

  @Description("Pub/Sub: topic for challenger predictions; unset: they share the predictions topic")
  String getPubsubChallengerTopic();

  void setPubsubChallengerTopic(String value);

  @Description("Pub/Sub: dead-letter topic")
  String getPubsubDeadLetterTopic();

  void setPubsubDeadLetterTopic(String value);

  @Description("Pub/Sub: platform events topic")
  String getPubsubEventsTopic();

  void setPubsubEventsTopic(String value);

  @Description("Pub/Sub: monitoring events topic")
  String getPubsubMetricsTopic();

  void setPubsubMetricsTopic(String value);
}
