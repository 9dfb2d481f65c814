package com.cryptoml.inference.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.runners.cli.Cli;
import com.cryptoml.inference.runners.cli.Command;
import java.beans.Introspector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.beam.sdk.options.Description;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How every command answers help, mistakes and refusals: plain lines, the right exit status, no stack trace. */
class CliTest {
  record Outcome(int status, String out, String err) {}

  static Outcome main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o); // commands print to the process's streams, as ./inference does
      System.setErr(e);
      status = Cli.main(Main.PROGRAM, Main.COMMANDS, args, o, e);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static void assertNoTrace(Outcome o) {
    assertFalse(o.err().contains("\tat ") || o.out().contains("\tat "), "no stack trace:\n" + o.err());
  }

  @Test
  void helpExitsZeroAndListsEveryCommand() {
    Outcome o = main("--help");
    assertEquals(0, o.status());
    for (String command : new String[] {"demo", "batch", "stream", "models", "config", "tail", "replay", "bench", "natives"}) {
      assertTrue(o.out().contains("\n  " + command + " "), command + " in\n" + o.out());
    }
    assertEquals(0, main("help", "stream").status());
    assertEquals(2, main().status(), "no command is a usage error");
  }

  /**
   * Help lists the interfaces a command names, so a parent interface left off the list would hide its
   * options: every described option of the project's interfaces a command reads, parents included, is
   * in that command's help.
   */
  @Test
  void eachCommandsHelpListsEveryOptionItReads() {
    for (Command c : Main.COMMANDS) {
      Set<Class<?>> interfaces = new LinkedHashSet<>();
      c.options().forEach(o -> projectInterfaces(o, interfaces));
      if (interfaces.isEmpty()) {
        continue;
      }
      String out = main(c.name(), "--help").out();
      for (Class<?> iface : interfaces) {
        for (Method m : iface.getDeclaredMethods()) {
          if (m.getAnnotation(Description.class) != null && m.getName().startsWith("get")) {
            String option = "--" + Introspector.decapitalize(m.getName().substring(3));
            assertTrue(out.contains("  " + option + "\n"), c.name() + " --help lacks " + option + " of " + iface.getSimpleName());
          }
        }
      }
    }
  }

  private static void projectInterfaces(Class<?> iface, Set<Class<?>> into) {
    if (iface.getPackageName().startsWith("com.cryptoml.") && into.add(iface)) {
      for (Class<?> parent : iface.getInterfaces()) {
        projectInterfaces(parent, into);
      }
    }
  }

  @Test
  void eachCommandsHelpListsItsOwnOptionsFirstGroupedWithDefaults() {
    Outcome o = main("stream", "--help");
    assertEquals(0, o.status());
    String out = o.out();
    int stream = out.indexOf("\nStream options:");
    int inference = out.indexOf("\nInference options:");
    assertTrue(stream > 0 && inference > stream, out);
    assertTrue(out.contains("  --bootstrapServers\n") && out.contains("(default 127.0.0.1:9092)"), out);
    assertTrue(out.contains("  --challengerTopic\n"), out);
    assertTrue(out.contains("  --startupWait\n") && out.contains("(default 5m)"), out);
    assertTrue(out.replaceAll("\\s+", " ").contains("[inference_config.batch_size; int >= 1] (default 32)"), out);
    assertFalse(out.contains("--requestFile"), "the batch request options are batch's");
    assertTrue(main("batch", "--help").out().contains("  --requestFile\n"));
    assertTrue(main("tail", "--help").out().contains("  --role\n"));
    assertTrue(main("replay", "-h").out().contains("  --speed\n"));
  }

  @Test
  void unknownOrMalformedOptionsAreOnePlainLineAndExitTwo() {
    Outcome typo = main("stream", "--bootstrapServer=kafka:9092");
    assertEquals(2, typo.status());
    assertTrue(typo.err().startsWith("error: unknown option --bootstrapServer (did you mean --bootstrapServers?)\n"), typo.err());
    assertNoTrace(typo);

    Outcome value = main("batch", "--batchSize=many");
    assertEquals(2, value.status());
    assertTrue(value.err().contains("batch_size") && value.err().contains("many"), value.err());
    assertNoTrace(value);

    Outcome command = main("strem");
    assertEquals(2, command.status());
    assertTrue(command.err().contains("unknown command 'strem' (did you mean 'stream'?)"), command.err());

    Outcome beam = main("tail", "--limit=lots");
    assertEquals(2, beam.status());
    assertTrue(beam.err().startsWith("error: ") && beam.err().contains("lots"), beam.err());
    assertNoTrace(beam);
  }

  @Test
  void aRefusedBackfillPrintsItsRefusalsAndExitsTwoWithoutATrace(@TempDir Path out, @TempDir Path cache) {
    Outcome o = main("batch", "--registry=" + PipelineTestData.REGISTRY, "--artifactCacheDir=" + cache,
        "--input=" + PipelineTestData.HISTORY_GLOB, "--output=" + out, "--requestModels=ghost-v9-1h,swing-high-v1-1h@nope");
    assertEquals(2, o.status(), o.err());
    assertTrue(o.err().contains("ghost-v9-1h") && o.err().contains("not_found"), o.err());
    assertTrue(o.err().contains("swing-high-v1-1h@nope"), o.err());
    assertNoTrace(o);
  }

  @Test
  void aBackfillsProgressEndsAtTheCountItsResultReports(@TempDir Path out, @TempDir Path cache) {
    Outcome o = main("batch", "--registry=" + PipelineTestData.REGISTRY, "--artifactCacheDir=" + cache,
        "--input=" + PipelineTestData.HISTORY_GLOB, "--output=" + out, "--requestSymbols=BTCUSDT", "--requestExchanges=BINANCE",
        "--requestTimeframes=1h", "--start=2024-03-20T00:00:00Z", "--end=2024-03-25T00:00:00Z", "--warmupIterations=2");
    assertEquals(0, o.status(), o.err());
    java.util.List<String> progress = o.out().lines().filter(l -> l.contains("| predictions ")).toList();
    assertFalse(progress.isEmpty(), o.out());
    java.util.regex.Matcher last = java.util.regex.Pattern.compile("predictions ([0-9,]+)").matcher(progress.get(progress.size() - 1));
    java.util.regex.Matcher result = java.util.regex.Pattern.compile("rows in range, ([0-9]+) predictions").matcher(o.out());
    assertTrue(last.find() && result.find(), o.out());
    assertEquals(result.group(1), last.group(1).replace(",", ""), "the progress line ends at the result's count:\n" + o.out());
    assertTrue(Long.parseLong(result.group(1)) > 100, o.out());
  }
}
