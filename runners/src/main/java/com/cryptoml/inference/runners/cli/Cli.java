package com.cryptoml.inference.runners.cli;

import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.config.Suggestions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the commands of {@code ./inference} the same way: {@code --help} prints the command's options
 * and exits 0; a command line it cannot run with prints the problems in plain lines and exits 2; a
 * failure prints one line per cause and exits 1. Stack traces only with {@code --debug} or
 * {@code LOG_LEVEL=debug}, so what an operator sees is the message, never the trace.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private Cli() {}

  /** Dispatches {@code args[0]} to its command; the exit status back. */
  public static int main(String program, List<Command> commands, String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(Help.overview(program, commands));
      return USAGE;
    }
    String name = args[0];
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      if (args.length > 1) {
        return main(program, commands, new String[] {args[1], "--help"}, out, err);
      }
      out.print(Help.overview(program, commands));
      return OK;
    }
    for (Command c : commands) {
      if (c.name().equals(name)) {
        return run(program, c, Arrays.copyOfRange(args, 1, args.length), out, err);
      }
    }
    String guess = Suggestions.closest(name, commands.stream().map(Command::name).toList());
    err.println("unknown command '" + name + "'" + (guess == null ? "" : " (did you mean '" + guess + "'?)")
        + "; the commands are " + String.join(", ", commands.stream().map(Command::name).toList()));
    return USAGE;
  }

  /** Runs one command with its arguments. */
  public static int run(String program, Command c, String[] args, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>();
    boolean debug = "debug".equalsIgnoreCase(System.getenv().getOrDefault("LOG_LEVEL", ""))
        || "trace".equalsIgnoreCase(System.getenv().getOrDefault("LOG_LEVEL", ""));
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        out.print(Help.command(program, c));
        return OK;
      }
      if (a.equals("--debug") || a.equals("--debug=true")) {
        debug = true;
      } else {
        rest.add(a);
      }
    }
    try {
      return c.action().run(rest.toArray(String[]::new));
    } catch (ConfigLoader.ConfigException e) {
      e.problems().forEach(p -> err.println("error: " + p));
      err.println("Run " + program + " " + c.name() + " --help for its options.");
      trace(e, debug, err);
      return USAGE;
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println("Run " + program + " " + c.name() + " --help for its options.");
      trace(e, debug, err);
      return USAGE;
    } catch (Exception e) {
      err.println(c.name() + " failed: " + causes(e));
      if (!debug) {
        err.println("(--debug or LOG_LEVEL=debug shows the stack trace)");
      }
      trace(e, debug, err);
      return FAILED;
    }
  }

  /** The messages of an exception and its causes, each once, joined by ": ". */
  public static String causes(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 6; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
      if (parts.stream().noneMatch(p -> p.contains(m))) {
        parts.add(m);
      }
    }
    return String.join(": ", parts).replace("\n", " ");
  }

  private static void trace(Exception e, boolean debug, PrintStream err) {
    if (debug) {
      e.printStackTrace(err);
    }
  }
}
