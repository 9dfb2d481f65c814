package com.cryptoml.inference.devtools.bench;

import com.cryptoml.inference.models.natives.TensorFlowNatives;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.StreamingPipeline;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.runners.Launch;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Startup, measured in a fresh JVM: the benchmark puts one feature update in a topic and starts this
 * process, which starts the streaming pipeline (natives already extracted; model download, checks and
 * warm-up included) and prints the milliseconds from its JVM's start to reading the first prediction.
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String prefix = args[1];
    String cacheDir = args[2];
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    TensorFlowNatives.install();
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    List<String> pipelineArgs = new ArrayList<>(OursStream.args(bootstrap, prefix, cacheDir, "earliest"));
    pipelineArgs.addAll(Arrays.asList(args).subList(3, args.length)); // the benchmark's --pipelineArgs
    StreamOptions o = ConfigLoader.options(pipelineArgs.toArray(String[]::new), StreamOptions.class);
    o.as(StreamingOptions.class).setStreaming(true);
    Pipeline p = Pipeline.create(o);
    StreamingPipeline.build(p, o);
    Launch.run(p, true);
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "-probe");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(prefix + ".predictions"));
      long deadline = System.currentTimeMillis() + 120_000;
      while (System.currentTimeMillis() < deadline) {
        if (!consumer.poll(Duration.ofMillis(20)).isEmpty()) {
          System.out.println("FIRST_PREDICTION_MS " + (System.currentTimeMillis() - jvmStart));
          System.out.flush();
          Runtime.getRuntime().halt(0);
        }
      }
    }
    System.out.println("NO_PREDICTION");
    Runtime.getRuntime().halt(1);
  }
}
