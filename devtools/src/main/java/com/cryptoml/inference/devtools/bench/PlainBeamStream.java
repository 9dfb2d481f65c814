package com.cryptoml.inference.devtools.bench;

import com.cryptoml.inference.broker.LocalKafkaBroker;
import com.cryptoml.inference.pipelines.streaming.BarTimeLimit;
import com.cryptoml.inference.pipelines.streaming.KafkaFeatureSource;
import com.cryptoml.inference.transforms.values.RawEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import com.cryptoml.inference.runners.direct.DirectRunnerAdaptations;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The hand-written streaming loop's work as the least Beam pipeline that does it, on the Direct
 * runner with the stream's settings: a Kafka read ({@link Source}), one step that parses, z-scores
 * and predicts each bundle's updates in batches, {@code KafkaIO.write()}. No validation,
 * history, routing, quality or dead letters. With {@link Source#KAFKAIO}: what a user gets by writing
 * the loop in Beam on this runner. With {@link Source#BATCHED}, the platform's own source: what the
 * runner leaves to any pipeline that reads as the platform does, a floor under its stream figures.
 */
final class PlainBeamStream implements AutoCloseable {
  final String featureTopic;
  final String predictionsTopic;
  private final PipelineResult result;
  private final PipelineOptions options;

  /** Where the plain pipeline reads from. */
  enum Source {
    /** {@code KafkaIO.read()}, as a Beam user would write it. */
    KAFKAIO,
    /** The platform's {@link KafkaFeatureSource} as the Direct runner reads it: KafkaIO's reader, 1,000 records per element. */
    BATCHED
  }

  /**
   * @param passThroughSteps steps that only pass each record on, put before the prediction (batched source
   *     only): what one more step on a record's path costs on this runner
   */
  PlainBeamStream(LocalKafkaBroker broker, String prefix, Source source, String registry, String modelRef, String cacheDir,
      int batch, int passThroughSteps) {
    featureTopic = prefix + ".features.1m";
    predictionsTopic = prefix + ".predictions";
    broker.createTopics(List.of(featureTopic, predictionsTopic), 3);
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    DirectOptions o = PipelineOptionsFactory.fromArgs("--enforceImmutability=false", "--enforceEncodability=false")
        .as(DirectOptions.class);
    o.setBlockOnRun(false);
    o.as(StreamingOptions.class).setStreaming(true);
    Pipeline p = Pipeline.create(o);
    options = p.getOptions();
    PCollection<KV<String, String>> predictions = switch (source) {
      case KAFKAIO -> p.apply("Read", KafkaIO.<String, String>read().withBootstrapServers(broker.bootstrapServers())
              .withTopic(featureTopic).withKeyDeserializer(StringDeserializer.class).withValueDeserializer(StringDeserializer.class)
              .withConsumerConfigUpdates(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))
              .withoutMetadata())
          .apply("Predict", ParDo.of(new PredictFn<KV<String, String>>(KV::getValue, registry, modelRef, cacheDir, batch)));
      case BATCHED -> passThrough(p.apply("Read", new KafkaFeatureSource(broker.bootstrapServers(), List.of(featureTopic), prefix,
              "latest", Duration.standardMinutes(1), Map.of(), true, BarTimeLimit.none())), passThroughSteps)
          .apply("Predict", ParDo.of(new PredictFn<RawEvent>(e -> new String(e.getPayload(), StandardCharsets.UTF_8), registry,
              modelRef, cacheDir, batch)));
    };
    predictions.apply("Write", KafkaIO.<String, String>write().withBootstrapServers(broker.bootstrapServers())
        .withTopic(predictionsTopic).withKeySerializer(StringSerializer.class).withValueSerializer(StringSerializer.class)
        .withProducerConfigUpdates(Map.of(ProducerConfig.LINGER_MS_CONFIG, 1)));
    if (source == Source.BATCHED) {
      DirectRunnerAdaptations.apply(p); // the platform's own read on this runner: batched, offsets committed per bundle
    }
    result = p.run();
  }

  private static PCollection<RawEvent> passThrough(PCollection<RawEvent> records, int steps) {
    for (int i = 0; i < steps; i++) {
      records = records.apply("PassThrough" + i, ParDo.of(new PassThroughFn()));
    }
    return records;
  }

  /** A step that does nothing but take its bundle. */
  static final class PassThroughFn extends DoFn<RawEvent, RawEvent> {
    @ProcessElement
    public void process(@Element RawEvent record, OutputReceiver<RawEvent> out) {
      out.output(record);
    }
  }

  /** The hand-written loop's body as a DoFn: a bundle's updates predicted in batches. */
  static final class PredictFn<T> extends PlainPredictFn<T, KV<String, String>, JsonNode> {
    private final SerializableFunction<T, String> json;

    PredictFn(SerializableFunction<T, String> json, String registry, String modelRef, String cacheDir, int batch) {
      super(registry, modelRef, cacheDir, batch);
      this.json = json;
    }

    @Override
    KV<String, String> output(JsonNode update, float[] probabilities, int i, int classes) {
      return KV.of(HandWrittenStream.key(update), HandWrittenStream.prediction(update, probabilities, i, classes));
    }

    @ProcessElement
    public void process(@Element T record, OutputReceiver<KV<String, String>> out) throws Exception {
      JsonNode update = HandWrittenStream.JSON.readTree(json.apply(record));
      model.normalize(HandWrittenStream.features(update), buffer, nextRow());
      add(update, out::output);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws Exception {
      flush(kv -> c.output(kv, Instant.now(), GlobalWindow.INSTANCE));
    }
  }

  /** Throws what stopped the pipeline, if it stopped: a dead pipeline would otherwise look like a slow one. */
  void check() {
    // Not getState() first: once it has seen the failure, waitUntilFinish no longer throws its cause.
    PipelineResult.State state = result.waitUntilFinish(Duration.millis(1));
    if (state != null && state.isTerminal()) {
      throw new IllegalStateException("the plain Beam pipeline stopped: " + state);
    }
  }

  @Override
  public void close() {
    try {
      result.cancel();
    } catch (Exception e) {
      // already stopped
    }
    DirectRunnerAdaptations.closeReaders(options);
  }
}
