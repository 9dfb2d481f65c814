package com.cryptoml.inference.runners;

import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.pipelines.options.FeatureTopicOptions;
import com.cryptoml.inference.pipelines.options.KafkaClientOptions;
import com.cryptoml.inference.runners.cli.Cli;
import com.cryptoml.inference.runners.cli.Command;
import com.cryptoml.inference.runners.cli.UsageException;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import com.cryptoml.inference.runners.ops.ConfigCommand;
import com.cryptoml.inference.runners.ops.ModelsCommand;
import com.cryptoml.inference.runners.ops.ModelsOptions;
import com.cryptoml.inference.runners.ops.OutputOptions;
import com.cryptoml.inference.runners.ops.ReplayCommand;
import com.cryptoml.inference.runners.ops.ReplayOptions;
import com.cryptoml.inference.runners.ops.TailCommand;
import com.cryptoml.inference.runners.ops.TailOptions;
import com.cryptoml.inference.transforms.config.InferenceOptions;
import java.util.List;

/** The platform's commands ({@code ./inference COMMAND}); {@code demo} and {@code bench} run from the devtools module. */
public final class Main {
  public static final String PROGRAM = "./inference";

  private Main() {}

  public static final List<Command> COMMANDS = List.of(
      new Command("demo", "a local Kafka broker, replayed history and the streaming pipeline, with live progress",
          PROGRAM + " demo", List.of(), args -> devtools("demo")),
      new Command("batch", "a backfill over Parquet feature history (defaults: March 2024 of the committed history)",
          PROGRAM + " batch --requestFile=request.json --input='history/*.parquet' --output=runs/my-backfill",
          List.of(BatchOptions.class, DirectAdaptationOptions.class, InferenceOptions.class), BatchMain::run),
      new Command("stream", "live inference from your Kafka (or Pub/Sub) feature topics until stopped",
          PROGRAM + " stream --bootstrapServers=kafka:9092 --registry=/mnt/mlruns --environment=staging",
          StreamMain.OPTIONS, StreamMain::run),
      new Command("models", "which model version each configured reference serves, and whether it passes its checks",
          PROGRAM + " models --environment=staging --registry=http://mlflow:5000 --load",
          List.of(ModelsOptions.class, OutputOptions.class, InferenceOptions.class), args -> ModelsCommand.run(args, System.out)),
      new Command("config", "the effective configuration and where each value came from; every mistake at once",
          PROGRAM + " config --environment=production --config=my-overrides.yaml",
          List.of(OutputOptions.class, InferenceOptions.class), args -> ConfigCommand.run(args, System.out)),
      new Command("tail", "a topic's events (predictions, dead letters, platform or monitoring events), one line each",
          PROGRAM + " tail --bootstrapServers=kafka:9092 --topic=predictions --symbol=BTCUSDT --role=champion",
          List.of(TailOptions.class, KafkaClientOptions.class, OutputOptions.class), args -> TailCommand.run(args, System.out)),
      new Command("replay", "feature history from Parquet into the feature topics, in event-time order",
          PROGRAM + " replay --input=testdata/data/history --bootstrapServers=127.0.0.1:9092 --speed=3600",
          List.of(ReplayOptions.class, KafkaClientOptions.class, FeatureTopicOptions.class), args -> ReplayCommand.run(args, System.out)),
      new Command("bench", "the benchmark against hand-written and plain Beam floors (docs/benchmarks.md)",
          PROGRAM + " bench --quick", List.of(), args -> devtools("bench")),
      new Command("natives", "installs TensorFlow's native library for this machine and prints where it is",
          PROGRAM + " natives", List.of(), args -> {
            System.out.println(com.cryptoml.inference.models.natives.TensorFlowNatives.install());
            return Cli.OK;
          }));

  public static void main(String[] args) {
    int status = Cli.main(PROGRAM, COMMANDS, args, System.out, System.err);
    System.exit(status);
  }

  private static int devtools(String name) {
    throw new UsageException(name + " runs from the devtools module: use " + PROGRAM + " " + name);
  }
}
