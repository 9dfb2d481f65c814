package com.cryptoml.inference.runners;

import java.util.Arrays;

/**
 * The platform's entry points: {@code batch} (a backfill over Parquet history), {@code stream}
 * (live inference from Kafka or Pub/Sub), {@code demo} (a local broker, replayed history and the
 * streaming pipeline with live progress), {@code bench}, {@code natives}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "batch" -> System.exit(BatchMain.run(rest));
      case "stream" -> StreamMain.main(rest);
      case "natives" -> System.out.println(com.cryptoml.inference.models.natives.TensorFlowNatives.install());
      default -> {
        System.out.println("usage: ./inference demo|batch|stream|bench|natives [--option=value ...]");
        System.exit(command.equals("help") ? 0 : 2);
      }
    }
  }
}
