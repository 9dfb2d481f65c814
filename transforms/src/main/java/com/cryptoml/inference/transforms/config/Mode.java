package com.cryptoml.inference.transforms.config;

/** What the pipeline is doing, as events' {@code mode} field says: serving a live stream, or a backfill. */
public enum Mode {
  LIVE("live"),
  BATCH("batch");

  private final String code;

  Mode(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return code;
  }
}
