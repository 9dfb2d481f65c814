package com.cryptoml.inference.devtools.bench;

import com.cryptoml.inference.broker.LocalKafkaBroker;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.StreamingPipeline;
import java.util.ArrayList;
import java.util.List;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.streaming.KafkaTopics;
import com.cryptoml.inference.runners.Launch;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** The platform's streaming pipeline on the Direct runner against the local broker, as the demo runs it. */
final class OursStream implements AutoCloseable {
  final String featureTopic;
  final String predictionsTopic;
  private final Launch.Running running;

  OursStream(LocalKafkaBroker broker, String prefix, String cacheDir, String startOffset, boolean quality, List<String> symbols,
      List<String> extraArgs) {
    featureTopic = prefix + ".features.1m";
    predictionsTopic = prefix + ".predictions";
    List<String> args = args(broker.bootstrapServers(), prefix, cacheDir, startOffset);
    args.add("--qualityMonitoring=" + quality);
    args.add("--symbols=" + String.join(",", symbols));
    args.addAll(extraArgs);
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    StreamOptions o = ConfigLoader.options(args.toArray(String[]::new), StreamOptions.class);
    o.as(StreamingOptions.class).setStreaming(true);
    broker.createTopics(KafkaTopics.of(o), 3);
    Pipeline p = Pipeline.create(o);
    StreamingPipeline.build(p, o);
    running = Launch.run(p, true);
  }

  static List<String> args(String bootstrap, String prefix, String cacheDir, String startOffset) {
    return new ArrayList<>(List.of(
        "--bootstrapServers=" + bootstrap,
        "--models=1m=momentum-v1-1m",
        "--enabledTimeframes=1m",
        "--artifactCacheDir=" + cacheDir,
        "--featureTopicPrefix=" + prefix + ".features.",
        "--predictionsTopic=" + prefix + ".predictions",
        "--deadLetterTopic=" + prefix + ".dlq",
        "--eventsTopic=" + prefix + ".events",
        "--metricsTopic=" + prefix + ".metrics",
        "--consumerGroup=" + prefix,
        "--startOffset=" + startOffset.toUpperCase(java.util.Locale.ROOT),
        "--watermarkClock=EVENT",
        "--referenceClock=none",
        "--maxEventDelay=1m",
        "--modelRefreshSeconds=60",
        "--enforceImmutability=false",
        "--enforceEncodability=false"));
  }

  @Override
  public void close() {
    running.stop();
  }
}
