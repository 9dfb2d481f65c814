package com.cryptoml.inference.runners.direct;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class CountPerBundleTest {
  /** Over many bundles, the same counts as filtering, mapping to keys and {@code Count.perElement()}. */
  @Test
  void countsByKeyAsCountPerElementDoesAndSkipsNullKeys(TestPipeline p) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      numbers.add(i);
    }
    PCollection<Integer> in = p.apply(Create.of(numbers)).apply(Reshuffle.viaRandomKey());
    PCollection<KV<String, Long>> ours = in.apply("Ours", CountPerBundle.of((Integer i) -> i % 7 == 0 ? null : "mod5=" + i % 5));
    PCollection<KV<String, Long>> beams = in.apply(Filter.by((Integer i) -> i % 7 != 0))
        .apply(MapElements.into(TypeDescriptors.strings()).via((Integer i) -> "mod5=" + i % 5))
        .apply(Count.perElement());
    List<KV<String, Long>> expected = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      long n = 0;
      for (int i = 0; i < 5_000; i++) {
        n += i % 7 != 0 && i % 5 == r ? 1 : 0;
      }
      expected.add(KV.of("mod5=" + r, n));
    }
    PAssert.that(ours).containsInAnyOrder(expected);
    PAssert.that(beams).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
