package com.cryptoml.inference.transforms.grouping;

import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A backfill's grouping of many small values under few keys (a model version's inputs by time bucket,
 * a series' outcome parts by bucket): {@code GroupByKey}, with each group at its earliest value's
 * timestamp so that what a group releases keeps its own, later, event time. Its own step so that a
 * runner can group the same values its own way (the runners module's Direct-runner adaptations do).
 */
public final class GroupBuckets<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
  private GroupBuckets() {}

  public static <K, V> GroupBuckets<K, V> create() {
    return new GroupBuckets<>();
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> in) {
    return in.apply("EarliestTimestamp", Window.<KV<K, V>>configure().withTimestampCombiner(TimestampCombiner.EARLIEST))
        .apply("GroupByKey", GroupByKey.create());
  }
}
