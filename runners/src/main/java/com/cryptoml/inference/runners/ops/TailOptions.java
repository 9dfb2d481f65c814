package com.cryptoml.inference.runners.ops;

import com.cryptoml.inference.pipelines.options.KafkaClientOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** {@code ./inference tail}: which topic, which events, from where. */
@Description("Tail")
public interface TailOptions extends OutputOptions, KafkaClientOptions {
  @Description("Topic to read: the predictions, dead-letter (inference.dlq), events (inference.events) or metrics "
      + "(inference.metrics) topic")
  @Default.String("predictions")
  String getTopic();

  void setTopic(String value);

  @Description("latest: only events published from now on; earliest: everything the topic holds")
  @Default.String("latest")
  String getFrom();

  void setFrom(String value);

  @Description("Only events of this model id (model_id)")
  String getModel();

  void setModel(String value);

  @Description("Only events of this symbol")
  String getSymbol();

  void setSymbol(String value);

  @Description("Only events of this timeframe (1m, 5m, 15m, 1h, 4h, 1d)")
  String getTimeframe();

  void setTimeframe(String value);

  @Description("Only predictions of this role (champion, challenger, pinned)")
  String getRole();

  void setRole(String value);

  @Description("Stop after printing this many events; 0: never")
  @Default.Integer(0)
  int getLimit();

  void setLimit(int value);

  @Description("Stop after this many seconds without a new event; 0: never")
  @Default.Integer(0)
  int getIdleSeconds();

  void setIdleSeconds(int value);
}
