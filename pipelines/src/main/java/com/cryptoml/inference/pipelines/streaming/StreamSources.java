package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.values.RawEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/** Where a stream's feature updates come from: a topic or subscription per enabled timeframe. */
final class StreamSources {
  private StreamSources() {}

  static PTransform<PBegin, PCollection<RawEvent>> features(StreamOptions options, InferenceConfig config, Map<String, Object> kafkaSettings) {
    List<String> inputs = new ArrayList<>();
    boolean kafka = options.getTransport() == StreamOptions.Transport.KAFKA;
    for (Timeframe tf : config.enabledTimeframes()) {
      inputs.add(kafka ? options.getFeatureTopicPrefix() + tf.code() : options.getPubsubSubscriptionPrefix() + tf.code());
    }
    if (!kafka) {
      return PubsubTransport.source(inputs, options.getPubsubTimestampAttribute());
    }
    return new KafkaFeatureSource(options.getBootstrapServers(), inputs, options.getConsumerGroup(), options.getStartOffset().kafka(),
        Duration.millis(maxEventDelay(options).toMillis()), kafkaSettings,
        options.getWatermarkClock() == StreamOptions.WatermarkClock.EVENT,
        BarTimeLimit.of(config.options().getReferenceClock(), config.options().getFutureSkew().duration()));
  }

  /** {@code --maxEventDelay}: how far behind the newest bar time the watermark trails. */
  static java.time.Duration maxEventDelay(StreamOptions options) {
    return com.cryptoml.inference.transforms.config.Span.parse(options.getMaxEventDelay()).duration();
  }
}
