package com.cryptoml.inference.runners.startup;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How a stream started from this JVM waits for what it needs. */
@Description("Start-up")
public interface StartupOptions extends PipelineOptions {
  @Description("How long the stream waits at start for the Kafka broker and the model registry to answer (retrying "
      + "after 1 s, doubling up to 30 s) before it gives up; e.g. 30s, 5m")
  @Default.String("5m")
  String getStartupWait();

  void setStartupWait(String value);
}
