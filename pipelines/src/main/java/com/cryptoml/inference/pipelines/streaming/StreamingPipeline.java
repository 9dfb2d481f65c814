package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.config.Durations;
import com.cryptoml.inference.pipelines.config.ModelRoutingCheck;
import com.cryptoml.inference.pipelines.direct.DirectHoldsJanitor;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.InferenceResult;
import com.cryptoml.inference.transforms.InferenceTransform;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.Runners;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.quality.Quality;
import com.cryptoml.inference.transforms.parse.ParseFeatureUpdates;
import com.cryptoml.inference.transforms.sharding.StateShards;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.cryptoml.inference.transforms.values.RawEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The unbounded edge of the one pipeline: feature topics (or subscriptions) per enabled timeframe in,
 * parse with event time = bar close, the shared {@link InferenceTransform} with models refreshed from
 * the registry as a side input, and predictions, dead letters and platform events out.
 */
public final class StreamingPipeline {
  private StreamingPipeline() {}

  /** What the stream produces; {@code quality} and {@code qualityEvents} are null with {@code --qualityMonitoring=false}. */
  public record Outputs(InferenceConfig config, PCollection<PredictionEvent> predictions, PCollection<DeadLetter> deadLetters,
      PCollection<KV<String, String>> events, Quality.@Nullable Result quality,
      @Nullable PCollection<KV<String, String>> qualityEvents) {}

  /** The configuration as a live stream runs it. */
  public static InferenceConfig config(StreamOptions options) {
    return ConfigLoader.load(options).toBuilder().mode("live").build();
  }

  /**
   * Runs a built stream. On the Direct runner it also starts a {@link DirectHoldsJanitor}, without
   * which the runner's heap grows with every bundle (about 40 MB a minute at 1,000 events/s).
   */
  public static PipelineResult run(Pipeline p) {
    PipelineResult result = p.run();
    DirectHoldsJanitor.start(result, java.time.Duration.ofSeconds(2));
    return result;
  }

  public static Outputs build(Pipeline p, StreamOptions options) {
    InferenceConfig config = config(options);
    ModelRoutingCheck.check(config);
    boolean kafka = options.getTransport().equals("kafka");
    if (!kafka && !options.getTransport().equals("pubsub")) {
      throw new IllegalArgumentException("--transport must be kafka or pubsub, got " + options.getTransport());
    }
    Map<String, Object> clientSettings = KafkaSecurity.load(options.getKafkaPropertiesFile());

    RefreshActiveModels.Result models = p.apply("ActiveModels",
        new RefreshActiveModels(config, Duration.standardSeconds(options.getModelRefreshSeconds())));

    List<String> inputs = new ArrayList<>();
    for (Timeframe tf : config.enabledTimeframes()) {
      inputs.add(kafka ? options.getFeatureTopicPrefix() + tf.code() : options.getPubsubSubscriptionPrefix() + tf.code());
    }
    boolean direct = Runners.isDirect(options);
    PCollection<RawEvent> raw = kafka
        ? p.apply("FeatureTopics", new KafkaFeatureSource(options.getBootstrapServers(), inputs, options.getConsumerGroup(),
            options.getStartOffset(), Duration.millis(Durations.parse("--maxEventDelay", options.getMaxEventDelay()).toMillis()),
            clientSettings, watermarkFollowsEventTime(options), BarTimeLimit.of(config.referenceClock(), config.futureSkew()),
            direct).withRecordsPerElement(direct ? options.getDirectReadBatch() : 0))
        : p.apply("FeatureSubscriptions", PubsubTransport.source(inputs));
    ParseFeatureUpdates parse = ParseFeatureUpdates.withMaxPayloadBytes(config.maxPayloadBytes());
    WithDeadLetters<FeatureUpdate> parsed = raw.apply("Parse", kafka ? parse.requiringKeys() : parse);
    int shards = stateShards(options);
    InferenceResult result = parsed.output().apply("Inference", InferenceTransform.streaming(config, models.view())
        .withMaxEventDelay(Durations.parse("--maxEventDelay", options.getMaxEventDelay())).withStateShards(shards));

    PCollection<DeadLetter> dead = PCollectionList.of(parsed.deadLetters()).and(result.deadLetters())
        .apply("AllDeadLetters", Flatten.pCollections());
    EventJson.Envelope envelope = new EventJson.Envelope(config.environment(), config.subEnvironment(), config.mode());
    PCollection<KV<String, String>> errors = dead
        .apply("DeadLettersAsEvents", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((DeadLetter d) -> KV.of(d.getSymbol() == null ? d.getReason() : d.getSymbol() + ":" + d.getExchange() + ":" + d.getTimeframe(),
                EventJson.inferenceError(d, envelope, System.currentTimeMillis()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));

    Quality.Result quality = options.getQualityMonitoring()
        ? result.qualityInputs().apply("Quality", Quality.streaming(config.monitoring(), models.view())
        .withStateShards(shards)) : null;
    PCollection<KV<String, String>> qualityEvents = quality == null ? null : QualityEventStream.of(quality, envelope);

    if (kafka) {
      KafkaSinks sinks = new KafkaSinks(options.getBootstrapServers(), clientSettings, options.getKafkaExactlyOnce());
      result.output().apply("PublishPredictions", sinks.predictions(options.getPredictionsTopic(), options.getPredictionTopicPerTimeframe()));
      errors.apply("PublishDeadLetters", sinks.json(options.getDeadLetterTopic()));
      models.events().apply("PublishEvents", sinks.json(options.getEventsTopic()));
      if (qualityEvents != null) {
        qualityEvents.apply("PublishQualityEvents", sinks.json(options.getMetricsTopic()));
      }
    } else {
      result.output().apply("PublishPredictions", PubsubTransport.predictions(options.getPubsubPredictionsTopic()));
      errors.apply("PublishDeadLetters", PubsubTransport.json(options.getPubsubDeadLetterTopic()));
      models.events().apply("PublishEvents", PubsubTransport.json(options.getPubsubEventsTopic()));
      if (options.getPubsubMetricsTopic() != null && qualityEvents != null) {
        qualityEvents.apply("PublishQualityEvents", PubsubTransport.json(options.getPubsubMetricsTopic()));
      }
    }
    return new Outputs(config, result.output(), dead, models.events(), quality, qualityEvents);
  }

  static boolean watermarkFollowsEventTime(StreamOptions options) {
    return switch (options.getWatermarkClock()) {
      case "event" -> true;
      case "wall" -> false;
      default -> throw new IllegalArgumentException("--watermarkClock must be wall or event, got " + options.getWatermarkClock());
    };
  }

  /** {@code --stateShards}, or its default: the target parallelism on the Direct runner, else a key per series. */
  static int stateShards(StreamOptions options) {
    Integer shards = options.getStateShards();
    if (shards != null) {
      return StateShards.checked(shards);
    }
    return Runners.isDirect(options) ? options.as(DirectOptions.class).getTargetParallelism() : 0;
  }

  /** Every topic the Kafka pipeline reads or writes, for creating them. */
  public static List<String> kafkaTopics(StreamOptions options, InferenceConfig config) {
    List<String> topics = new ArrayList<>();
    for (Timeframe tf : Timeframe.values()) {
      topics.add(options.getFeatureTopicPrefix() + tf.code());
      if (options.getPredictionTopicPerTimeframe()) {
        topics.add(options.getPredictionsTopic() + "." + tf.code());
      }
    }
    if (!options.getPredictionTopicPerTimeframe()) {
      topics.add(options.getPredictionsTopic());
    }
    topics.add(options.getDeadLetterTopic());
    topics.add(options.getEventsTopic());
    topics.add(options.getMetricsTopic());
    return topics;
  }
}
