package com.cryptoml.inference.runners.ops;

import com.cryptoml.inference.pipelines.options.FeatureTopicOptions;
import com.cryptoml.inference.pipelines.options.KafkaClientOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** {@code ./inference replay}: which history, into which broker, how fast. */
@Description("Replay")
public interface ReplayOptions extends KafkaClientOptions, FeatureTopicOptions {
  @Description("Feature history to replay: a Parquet file, or a directory of them (the backfill's input format)")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description("Seconds of market time per second of wall time (60: a 1m bar every second); 0: as fast as the broker takes them")
  @Default.Double(0)
  double getSpeed();

  void setSpeed(double value);

  @Description("Replay bars closing after this instant (RFC 3339, e.g. 2024-03-01T00:00:00Z); unset: from the first bar")
  String getFrom();

  void setFrom(String value);

  @Description("Replay bars closing up to and including this instant; unset: to the last bar")
  String getTo();

  void setTo(String value);
}
