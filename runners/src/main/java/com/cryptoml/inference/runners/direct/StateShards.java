package com.cryptoml.inference.runners.direct;

/**
 * The state key a series ({@code symbol|exchange|timeframe}) lives under in the sharded steps: one
 * of {@code shards} keys, so the Direct runner runs a few keyed bundles per step instead of one per
 * series. See docs/decisions/state-shards.md.
 */
final class StateShards {
  private StateShards() {}

  /** The state key of {@code series}. */
  static String key(String series, int shards) {
    // String.hashCode is specified, so a series keeps its shard across JVMs and restarts.
    return "shard-" + Math.floorMod(series.hashCode(), shards);
  }

  /** {@code shards}, if it is a shard count: 1 or more. */
  static int checked(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("state shards must be 1 or more, got " + shards);
    }
    return shards;
  }
}
