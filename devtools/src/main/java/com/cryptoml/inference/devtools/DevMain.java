package com.cryptoml.inference.devtools;

import com.cryptoml.inference.devtools.bench.BenchMain;
import com.cryptoml.inference.devtools.demo.DemoMain;
import java.util.Arrays;

/**
 * The development commands of {@code ./inference}: {@code demo} (a local broker, replayed history
 * and the streaming pipeline with live progress) and {@code bench} (the benchmark). They live apart
 * from the production entry points ({@link com.cryptoml.inference.runners.Main}) so that neither the
 * demo broker nor the load tools are on the class path a Dataflow job stages.
 */
public final class DevMain {
  private DevMain() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "demo" -> System.exit(DemoMain.run(rest));
      case "bench" -> System.exit(bench(rest));
      default -> {
        System.out.println("usage: ./inference demo|bench [--option=value ...]");
        System.exit(command.equals("help") ? 0 : 2);
      }
    }
  }

  /** A failed benchmark exits: the Direct runner's threads of a pipeline it left running would keep the JVM up. */
  private static int bench(String[] args) {
    try {
      return BenchMain.run(args);
    } catch (Exception e) {
      e.printStackTrace();
      return 1;
    }
  }
}
