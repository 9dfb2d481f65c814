package com.cryptoml.inference.runners.cli;

/** A command line the command cannot run with; the message says what to change. Exit status 2. */
public final class UsageException extends IllegalArgumentException {
  public UsageException(String message) {
    super(message);
  }
}
