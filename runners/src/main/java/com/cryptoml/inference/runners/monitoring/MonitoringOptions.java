package com.cryptoml.inference.runners.monitoring;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Monitoring of a stream run from this JVM. */
public interface MonitoringOptions extends PipelineOptions {
  @Description("Port of the Prometheus /metrics, /health and /ready endpoints; 0 turns them off")
  @Default.Integer(9464)
  int getMonitoringPort();

  void setMonitoringPort(int value);

  @Description("Publish inference_metrics events every metrics_interval to --metricsTopic (Kafka)")
  @Default.Boolean(true)
  boolean getPublishMetricsEvents();

  void setPublishMetricsEvents(boolean value);
}
