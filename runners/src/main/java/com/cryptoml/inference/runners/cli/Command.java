package com.cryptoml.inference.runners.cli;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * One command of {@code ./inference}: its name, a line saying what it does, an example, the option
 * interfaces its {@code --help} lists (in that order, one group each) and what it runs.
 */
public record Command(String name, String summary, String example, List<Class<? extends PipelineOptions>> options,
    Action action) {

  /** What a command runs: its arguments after the command name, the process's exit status back. */
  @FunctionalInterface
  public interface Action {
    int run(String[] args) throws Exception;
  }
}
