package com.cryptoml.inference.pipelines.options;

import com.cryptoml.inference.transforms.config.InferenceOptions;
import java.util.List;
import org.apache.beam.sdk.options.Description;

/** A backfill: a request file, or the request's fields as options (the options win). */
public interface BatchOptions extends InferenceOptions {
  @Description("Batch request JSON file (local or gs://); its fields can be overridden by the options below")
  String getRequestFile();

  void setRequestFile(String value);

  @Description("Request id (letters, digits, . _ -)")
  String getRequestId();

  void setRequestId(String value);

  @Description("Symbols to backfill, comma-separated")
  List<String> getRequestSymbols();

  void setRequestSymbols(List<String> value);

  @Description("Exchanges to backfill, comma-separated")
  List<String> getRequestExchanges();

  void setRequestExchanges(List<String> value);

  @Description("Timeframes to backfill, comma-separated")
  List<String> getRequestTimeframes();

  void setRequestTimeframes(List<String> value);

  @Description("First bar close time to predict, ISO-8601 (inclusive)")
  String getStart();

  void setStart(String value);

  @Description("End of the range, ISO-8601 (exclusive)")
  String getEnd();

  void setEnd(String value);

  @Description("Model references (name, name@alias, name:version, models:/NAME@ALIAS, models:/NAME/VERSION|STAGE),"
      + " comma-separated; default: the configuration's")
  List<String> getRequestModels();

  void setRequestModels(List<String> value);

  @Description("Feature history: Parquet path or glob, local or gs://")
  String getInput();

  void setInput(String value);

  @Description("Output directory, local or gs://")
  String getOutput();

  void setOutput(String value);

  @Description("Completion event sink: file:PATH, kafka:BOOTSTRAP/TOPIC, pubsub:projects/P/topics/T (default: OUTPUT/batch_completed.json)")
  String getCompletionSink();

  void setCompletionSink(String value);
}
