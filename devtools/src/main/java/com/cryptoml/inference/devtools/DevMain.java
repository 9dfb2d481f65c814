package com.cryptoml.inference.devtools;

import com.cryptoml.inference.devtools.bench.BenchMain;
import com.cryptoml.inference.devtools.bench.BenchOptions;
import com.cryptoml.inference.devtools.demo.DemoMain;
import com.cryptoml.inference.devtools.demo.DemoOptions;
import com.cryptoml.inference.runners.Main;
import com.cryptoml.inference.runners.cli.Cli;
import com.cryptoml.inference.runners.cli.Command;
import java.util.List;

/**
 * The development commands of {@code ./inference}: {@code demo} (a local broker, replayed history
 * and the streaming pipeline with live progress) and {@code bench} (the benchmark). They live apart
 * from the production entry points ({@link com.cryptoml.inference.runners.Main}) so that neither the
 * demo broker nor the load tools are on the class path a Dataflow job stages.
 */
public final class DevMain {
  /** The development commands, in the order help lists them. */
  public static final List<Command> COMMANDS = List.of(
      new Command("demo", "a local Kafka broker, replayed history and the streaming pipeline, with live progress",
          Main.PROGRAM + " demo --replayHours=12", List.of(DemoOptions.class), DemoMain::run),
      new Command("bench", "the benchmark against hand-written and plain Beam floors (docs/benchmarks.md)",
          Main.PROGRAM + " bench --quick", List.of(BenchOptions.class), BenchMain::run));

  private DevMain() {}

  public static void main(String[] args) {
    System.exit(Cli.main(Main.PROGRAM, COMMANDS, args, System.out, System.err));
  }
}
