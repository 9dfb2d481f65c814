package com.cryptoml.inference.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/** Gathers a PCollection's elements into this JVM (Direct runner tests only). */
public final class Collect extends PTransform<PCollection<String>, PDone> {
  private static final Map<String, ConcurrentLinkedQueue<String>> SINKS = new ConcurrentHashMap<>();
  private final String name;

  public Collect(String name) {
    this.name = name;
    SINKS.put(name, new ConcurrentLinkedQueue<>());
  }

  public static List<String> get(String name) {
    return new ArrayList<>(SINKS.get(name));
  }

  @Override
  public PDone expand(PCollection<String> input) {
    String sink = name;
    input.apply(ParDo.of(new DoFn<String, Void>() {
      @ProcessElement
      public void process(@Element String s) {
        SINKS.get(sink).add(s);
      }
    }));
    return PDone.in(input.getPipeline());
  }
}
