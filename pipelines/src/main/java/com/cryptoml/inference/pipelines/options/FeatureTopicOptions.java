package com.cryptoml.inference.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The Kafka feature topics, one per timeframe: what the stream reads and a replay writes. */
@Description("Feature topic")
public interface FeatureTopicOptions extends PipelineOptions {
  @Description("Feature topics are PREFIX + timeframe (features.1m ... features.1d); the stream reads those of the enabled"
      + " timeframes, a replay creates the missing ones")
  @Default.String("features.")
  String getFeatureTopicPrefix();

  void setFeatureTopicPrefix(String value);
}
