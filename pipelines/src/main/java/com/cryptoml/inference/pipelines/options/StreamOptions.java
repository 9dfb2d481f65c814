package com.cryptoml.inference.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Live inference: where feature updates come from and where predictions, dead letters and events go. */
public interface StreamOptions extends InferenceOptions {
  @Description("kafka or pubsub")
  @Default.String("kafka")
  String getTransport();

  void setTransport(String value);

  @Description("Kafka bootstrap servers")
  @Default.String("127.0.0.1:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Feature topics are PREFIX + timeframe (features.1m ... features.1d); only enabled timeframes are read")
  @Default.String("features.")
  String getFeatureTopicPrefix();

  void setFeatureTopicPrefix(String value);

  @Description("Predictions topic (or prefix, with --predictionTopicPerTimeframe)")
  @Default.String("predictions")
  String getPredictionsTopic();

  void setPredictionsTopic(String value);

  @Description("Publish predictions to PREDICTIONS_TOPIC.<timeframe> instead of one topic")
  @Default.Boolean(false)
  boolean getPredictionTopicPerTimeframe();

  void setPredictionTopicPerTimeframe(boolean value);

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

  @Description("Where a consumer group without committed offsets starts: latest or earliest")
  @Default.String("latest")
  String getStartOffset();

  void setStartOffset(String value);

  @Description("Direct runner only: read Kafka up to N records per element (the runner hands over 10 elements per "
      + "bundle and pays its per-step cost per bundle); 0 reads record by record through KafkaIO as other runners do")
  @Default.Integer(1000)
  int getDirectReadBatch();

  void setDirectReadBatch(int value);

  @Description("Keyed state of the lookback history and the outcome join in N shards, each holding many series in a "
      + "map, instead of one key per symbol, exchange and timeframe (0). Unset: the Direct runner's target parallelism "
      + "on the Direct runner (every key is its own bundle in every later step there), 0 elsewhere (keys are Dataflow's "
      + "unit of parallelism). Changing it between runs of one job discards the state (histories refill from new bars)")
  Integer getStateShards();

  void setStateShards(Integer value);

  @Description("How far behind the newest bar time the watermark trails (out-of-order tolerance), e.g. 10s")
  @Default.String("10s")
  String getMaxEventDelay();

  void setMaxEventDelay(String value);

  @Description("wall: a caught-up partition's watermark follows the clock (live data); event: it follows the newest "
      + "bar time (replays of history through Kafka)")
  @Default.String("wall")
  String getWatermarkClock();

  void setWatermarkClock(String value);

  @Description("Seconds between model registry polls")
  @Default.Integer(30)
  int getModelRefreshSeconds();

  void setModelRefreshSeconds(int value);

  @Description("Exactly-once Kafka sink (transactions; Dataflow and Flink runners, not the Direct runner)")
  @Default.Boolean(false)
  boolean getKafkaExactlyOnce();

  void setKafkaExactlyOnce(boolean value);

  @Description("Extra Kafka client settings file (security.protocol, sasl.*, ssl.*); values may be ${env:NAME} or ${file:PATH}")
  String getKafkaPropertiesFile();

  void setKafkaPropertiesFile(String value);

  @Description("Pub/Sub: feature subscriptions are PREFIX + timeframe, e.g. projects/p/subscriptions/features-")
  String getPubsubSubscriptionPrefix();

  void setPubsubSubscriptionPrefix(String value);

  @Description("Pub/Sub: predictions topic, projects/P/topics/T")
  String getPubsubPredictionsTopic();

  void setPubsubPredictionsTopic(String value);

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
