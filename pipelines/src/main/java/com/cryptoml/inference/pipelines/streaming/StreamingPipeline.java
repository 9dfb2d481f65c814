package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.transforms.InferenceResult;
import com.cryptoml.inference.transforms.InferenceTransform;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.Mode;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.parse.ParseFeatureUpdates;
import com.cryptoml.inference.transforms.quality.Quality;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.cryptoml.inference.transforms.values.RawEvent;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
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
 * The unbounded edge of the one pipeline. Its steps, in order:
 *
 * <ol>
 *   <li>{@code ActiveModels}: the registry's versions as a side input, refreshed every {@code
 *       --modelRefreshSeconds} ({@link RefreshActiveModels});
 *   <li>{@code FeatureTopics} or {@code FeatureSubscriptions}: feature updates, event time = bar close
 *       ({@link StreamSources});
 *   <li>{@code Parse}: JSON to feature updates, or dead letters;
 *   <li>{@code Inference}: the shared {@link InferenceTransform} (validate, lookback history, predict);
 *   <li>{@code Quality}: drift, realized outcomes and accuracy ({@code --qualityMonitoring});
 *   <li>{@code Publish*}: predictions, dead letters as {@code inference_error} events, platform and
 *       monitoring events, to Kafka or Pub/Sub ({@link StreamSinks}).
 * </ol>
 *
 * It knows no runner: what a runner does differently is its own business (the runners module).
 */
public final class StreamingPipeline {
  private StreamingPipeline() {}

  /** What the stream produces; {@code quality} and {@code qualityEvents} are null with {@code --qualityMonitoring=false}. */
  public record Outputs(InferenceConfig config, PCollection<PredictionEvent> predictions, PCollection<DeadLetter> deadLetters,
      PCollection<KV<String, String>> events, Quality.@Nullable Result quality,
      @Nullable PCollection<KV<String, String>> qualityEvents) {}

  /** The configuration as a live stream runs it. */
  public static InferenceConfig config(StreamOptions options) {
    return InferenceConfig.of(options, Mode.LIVE);
  }

  public static Outputs build(Pipeline p, StreamOptions options) {
    InferenceConfig config = config(options);
    boolean kafka = options.getTransport() == StreamOptions.Transport.KAFKA;
    Map<String, Object> kafkaSettings = kafka ? KafkaSecurity.load(options.getKafkaPropertiesFile()) : Map.of();

    RefreshActiveModels.Result models = p.apply("ActiveModels",
        new RefreshActiveModels(config, Duration.standardSeconds(options.getModelRefreshSeconds())));
    PCollection<RawEvent> raw = p.apply(kafka ? "FeatureTopics" : "FeatureSubscriptions",
        StreamSources.features(options, config, kafkaSettings));
    ParseFeatureUpdates parse = ParseFeatureUpdates.withMaxPayloadBytes(config.options().getMaxPayloadBytes());
    WithDeadLetters<FeatureUpdate> parsed = raw.apply("Parse", kafka ? parse.requiringKeys() : parse);
    InferenceResult result = parsed.output().apply("Inference", InferenceTransform.streaming(config, models.view())
        .withMaxEventDelay(StreamSources.maxEventDelay(options)));

    PCollection<DeadLetter> dead = PCollectionList.of(parsed.deadLetters()).and(result.deadLetters())
        .apply("AllDeadLetters", Flatten.pCollections());
    EventJson.Envelope envelope = new EventJson.Envelope(config.options().getEnvironment(), config.options().getSubEnvironment(),
        config.mode().code());
    PCollection<KV<String, String>> errors = dead
        .apply("DeadLettersAsEvents", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((DeadLetter d) -> KV.of(d.getSymbol() == null ? d.getReason() : d.getSymbol() + ":" + d.getExchange() + ":" + d.getTimeframe(),
                EventJson.inferenceError(d, envelope, System.currentTimeMillis()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));

    Quality.Result quality = options.getQualityMonitoring()
        ? result.qualityInputs().apply("Quality", Quality.streaming(config, models.view())) : null;
    PCollection<KV<String, String>> qualityEvents = quality == null ? null : QualityEventStream.of(quality, envelope);

    StreamSinks.publish(options, kafkaSettings, result.output(), errors, models.events(), qualityEvents);
    return new Outputs(config, result.output(), dead, models.events(), quality, qualityEvents);
  }
}
