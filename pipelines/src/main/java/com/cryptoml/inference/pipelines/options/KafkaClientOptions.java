package com.cryptoml.inference.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How every command that talks to Kafka reaches the broker: the stream, replay and tail. */
@Description("Kafka")
public interface KafkaClientOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers")
  @Default.String("127.0.0.1:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Extra Kafka client settings file (security.protocol, sasl.*, ssl.*); values may be ${env:NAME} or ${file:PATH}")
  String getKafkaPropertiesFile();

  void setKafkaPropertiesFile(String value);
}
