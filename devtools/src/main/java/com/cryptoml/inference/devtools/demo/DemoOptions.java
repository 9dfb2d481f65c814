package com.cryptoml.inference.devtools.demo;

import com.cryptoml.inference.pipelines.options.StreamOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The local demo: how long, how fast and how much history to replay. */
public interface DemoOptions extends StreamOptions, com.cryptoml.inference.runners.monitoring.MonitoringOptions {
  @Description("Seconds of measured replay, after start-up and warm-up, before shutting down (Ctrl-C stops earlier)")
  @Default.Integer(60)
  int getDuration();

  void setDuration(int value);

  @Description("Hours of market time (ending at the last committed bar) to replay")
  @Default.Integer(6)
  int getReplayHours();

  void setReplayHours(int value);

  @Description("Hours of market time before the window sent first, as fast as the broker takes them, to warm the whole path"
      + " (not measured; 0: none)")
  @Default.Integer(2)
  int getWarmupHours();

  void setWarmupHours(int value);

  @Description("Replay speed: seconds of market time per second of wall time")
  @Default.Integer(360)
  int getSpeed();

  void setSpeed(int value);

  @Description("Directory for the demo broker's data (recreated on every run)")
  @Default.String("runs/demo/kafka")
  String getBrokerDir();

  void setBrokerDir(String value);

  @Description("Also write the run's figures (predictions, end-to-end p50 and p99) as JSON to this file, for the benchmark")
  String getOutcomeFile();

  void setOutcomeFile(String value);
}
