package com.cryptoml.inference.pipelines.batch;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;

/**
 * Folds counts and file names, keyed {@code kind|...}, into one sorted map for the completion event.
 * Kinds: {@code in|TF} rows in the requested range, {@code pred|TF|MODEL@VERSION} predictions,
 * {@code dead|TF|REASON} dead letters, {@code file|predictions|PATH} and {@code file|dead_letters|PATH}.
 */
public final class BatchCounts extends Combine.CombineFn<KV<String, Long>, TreeMap<String, Long>, TreeMap<String, Long>> {
  @Override
  public TreeMap<String, Long> createAccumulator() {
    return new TreeMap<>();
  }

  @Override
  public TreeMap<String, Long> addInput(TreeMap<String, Long> acc, KV<String, Long> input) {
    acc.merge(input.getKey(), input.getValue(), Long::sum);
    return acc;
  }

  @Override
  public TreeMap<String, Long> mergeAccumulators(Iterable<TreeMap<String, Long>> accs) {
    TreeMap<String, Long> out = new TreeMap<>();
    for (Map<String, Long> a : accs) {
      a.forEach((k, v) -> out.merge(k, v, Long::sum));
    }
    return out;
  }

  @Override
  public TreeMap<String, Long> extractOutput(TreeMap<String, Long> acc) {
    return acc;
  }
}
