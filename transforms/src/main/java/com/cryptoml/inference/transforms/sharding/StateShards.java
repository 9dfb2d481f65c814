package com.cryptoml.inference.transforms.sharding;

/**
 * The key a series' keyed state lives under (the lookback history, a stream's outcome join). With 0
 * shards each symbol, exchange and timeframe is its own key: on Dataflow keys are the unit of
 * parallelism and cost nothing each. With N shards the series are spread over N keys and each key's
 * state holds its series in a {@code MapState}, with one timer per series in a timer family: the
 * Direct runner runs every key as its own bundle in the keyed step and in every step after it, and
 * each bundle costs each step 0.1 to 0.6 ms of translation there, so with one key per series the
 * latency grows with the number of series (docs/benchmarks.md, fifth round).
 */
public final class StateShards {
  private StateShards() {}

  /** The state key of {@code series} ({@code symbol|exchange|timeframe}). */
  public static String key(String series, int shards) {
    // String.hashCode is specified, so a series keeps its shard across JVMs and restarts.
    return checked(shards) == 0 ? series : "shard-" + Math.floorMod(series.hashCode(), shards);
  }

  /** {@code shards}, if it is a shard count: 0 (a key per series) or more. */
  public static int checked(int shards) {
    if (shards < 0) {
      throw new IllegalArgumentException("state shards must be 0 (a key per series) or more, got " + shards);
    }
    return shards;
  }
}
