package com.cryptoml.inference.devtools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.devtools.DevMain;
import com.cryptoml.inference.runners.Main;
import com.cryptoml.inference.runners.cli.Cli;
import java.beans.Introspector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import com.cryptoml.inference.devtools.demo.DemoOptions;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.runners.direct.DirectAdaptationOptions;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** {@code ./inference bench}'s command line: its help, its errors, and what {@code --quick} says it sets. */
class BenchOptionsTest {

  @Test
  void helpListsTheBenchmarksOwnOptionsAndExitsZero() {
    Run r = bench("--help");
    assertEquals(Cli.OK, r.status);
    for (String option : new String[] {"--quick", "--sections", "--rateSeconds", "--pipelineArgs", "--childJavaOptions"}) {
      assertTrue(r.out.contains("  " + option + "\n"), option + " in\n" + r.out);
    }
    assertTrue(r.out.contains("(default 1,8,32,128)"), r.out);
  }

  @Test
  void anUnknownOptionIsOnePlainLineWithTheSuggestion() {
    Run r = bench("--rateSecond=3");
    assertEquals(Cli.USAGE, r.status);
    assertTrue(r.err.contains("error: unknown option --rateSecond (did you mean --rateSeconds?)"), r.err);
    assertTrue(!r.err.contains("\tat "), "no stack trace:\n" + r.err);
  }

  @Test
  void malformedValuesAndUnknownSectionsAreUsageErrors() {
    assertEquals(Cli.USAGE, bench("--rateSeconds=soon").status);
    Run r = bench("--sections=raw,warp", "--work=target/bench-options-test");
    assertEquals(Cli.USAGE, r.status);
    assertTrue(r.err.contains("unknown section warp"), r.err);
  }

  /** Each value --quick sets is the one its option's description names, so help tells the truth. */
  @Test
  void everyQuickValueIsTheOneItsOptionDescribes() throws Exception {
    for (Map.Entry<String, String> q : BenchMain.QUICK.entrySet()) {
      Method getter = getter(q.getKey());
      assertNotNull(getter, "--" + q.getKey() + " is a BenchOptions option");
      String description = getter.getAnnotation(Description.class).value();
      assertTrue(description.contains("(--quick: " + q.getValue() + ")"), "--" + q.getKey() + ": " + description);
    }
  }

  /** Beam refuses an options interface whose option shares a name but not a type with another one's. */
  @Test
  void benchOptionsLiveBesideEveryOptionsInterfaceTheBenchmarkRuns() {
    for (Class<? extends PipelineOptions> other : List.of(BatchOptions.class, StreamOptions.class, DemoOptions.class,
        DirectAdaptationOptions.class, BenchOptions.class)) {
      PipelineOptionsFactory.register(other);
    }
    assertEquals(3, PipelineOptionsFactory.fromArgs("--quick", "--loadSymbols=3").as(BenchOptions.class).getLoadSymbols());
  }

  private static Method getter(String option) {
    for (Method m : BenchOptions.class.getDeclaredMethods()) {
      if (m.getName().startsWith("get") && Introspector.decapitalize(m.getName().substring(3)).equals(option)) {
        return m;
      }
    }
    return null;
  }

  private record Run(int status, String out, String err) {}

  private static Run bench(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "bench";
    System.arraycopy(args, 0, all, 1, args.length);
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = Cli.main(Main.PROGRAM, DevMain.COMMANDS, all, o, e);
    }
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
