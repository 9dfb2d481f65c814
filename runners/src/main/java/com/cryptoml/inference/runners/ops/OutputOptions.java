package com.cryptoml.inference.runners.ops;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How an operator command prints: a table for people, JSON for scripts. */
@Description("Output")
public interface OutputOptions extends PipelineOptions {
  @Description("Print JSON (one object per line) instead of the readable form")
  @Default.Boolean(false)
  boolean getJson();

  void setJson(boolean value);
}
