package com.cryptoml.inference.runners.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.batch.BatchPipeline;
import com.cryptoml.inference.pipelines.batch.BatchPreflight;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.pipelines.options.StreamOptions;
import com.cryptoml.inference.pipelines.streaming.StreamingPipeline;
import com.cryptoml.inference.transforms.history.BuildModelInputsTest;
import com.cryptoml.inference.transforms.quality.JoinOutcomesTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.CrashingRunner;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Direct runner's adaptations: each replaces its stock step in a built pipeline (and only on the
 * Direct runner, and only when selected), and the sharded layouts pass the stock steps' own scenarios.
 */
@ExtendWith(TestPipelineExtension.class)
class DirectRunnerAdaptationsTest {
  @Test
  void shardedHistoryPassesTheStockScenario(TestPipeline p) throws Exception {
    BuildModelInputsTest.streamSemantics(p, stock -> new ShardedBuildModelInputs(stock, 1));
  }

  @Test
  void shardedOutcomeJoinPassesTheStockScenario(TestPipeline p) {
    JoinOutcomesTest.twoSeriesJoinEachWithItsOwnBars(p, stock -> new ShardedJoinOutcomes(stock, 1));
  }

  private static StreamOptions stream(String... extra) {
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    List<String> args = new java.util.ArrayList<>(List.of("--registry=" + PipelineTestData.REGISTRY, "--bootstrapServers=127.0.0.1:1"));
    args.addAll(List.of(extra));
    StreamOptions o = ConfigLoader.options(args.toArray(String[]::new), StreamOptions.class);
    o.as(StreamingOptions.class).setStreaming(true);
    return o;
  }

  private static Set<String> names(Pipeline p) {
    Set<String> names = new TreeSet<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        names.add(node.getFullName());
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        names.add(node.getFullName());
      }
    });
    return names;
  }

  @Test
  void aStreamOnTheDirectRunnerGetsItsAdaptations() {
    Pipeline p = Pipeline.create(stream());
    StreamingPipeline.build(p, (StreamOptions) p.getOptions());
    DirectRunnerAdaptations.apply(p);
    Set<String> names = names(p);
    for (String replaced : List.of("FeatureTopics/ReadKafkaInBatches", "FeatureTopics/CommitReadOffsets",
        "Inference/BuildModelInputs/ShardedLookbackHistory", "Inference/Predict/Batches/PredictInBundle",
        "Quality/RealizedOutcomes/JoinOutcomes/ShardedJoin")) {
      assertTrue(names.contains(replaced), replaced + " in " + names);
    }
    assertFalse(names.contains("Inference/BuildModelInputs/LookbackHistory"), "the stock history step is gone");
    assertFalse(names.stream().anyMatch(n -> n.contains("GroupIntoBatches")), "no cross-bundle batching");
  }

  @Test
  void eachAdaptationCanBeLeftOutAndNoneAppliesElsewhere() {
    Pipeline some = Pipeline.create(stream("--directAdaptations=-state-shards,-kafka-read"));
    StreamingPipeline.build(some, (StreamOptions) some.getOptions());
    DirectRunnerAdaptations.apply(some);
    Set<String> names = names(some);
    assertTrue(names.contains("Inference/BuildModelInputs/LookbackHistory"), "stock history kept");
    assertTrue(names.contains("FeatureTopics/ReadKafka"), "stock read kept");
    assertTrue(names.contains("Inference/Predict/Batches/PredictInBundle"), "the others still apply");

    Pipeline none = Pipeline.create(stream("--directAdaptations=none"));
    StreamingPipeline.build(none, (StreamOptions) none.getOptions());
    DirectRunnerAdaptations.apply(none);
    assertTrue(names(none).contains("Inference/Predict/Batches/GroupIntoBatches"));

    StreamOptions elsewhere = stream();
    elsewhere.setRunner(CrashingRunner.class);
    Pipeline other = Pipeline.create(elsewhere);
    StreamingPipeline.build(other, elsewhere);
    Set<String> before = names(other);
    DirectRunnerAdaptations.apply(other);
    assertEquals(before, names(other), "another runner runs the stock steps");

    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> DirectRunnerAdaptations.apply(Pipeline.create(stream("--directAdaptations=-shards"))));
    assertTrue(bad.getMessage().contains("unknown adaptation 'shards'"), bad.getMessage());
  }

  @Test
  void aBackfillOnTheDirectRunnerGetsItsAdaptations(@TempDir Path out, @TempDir Path cache) {
    PipelineOptionsFactory.register(DirectAdaptationOptions.class);
    String[] args = {"--registry=" + PipelineTestData.REGISTRY, "--artifactCacheDir=" + cache, "--requestId=adapt",
        "--requestSymbols=BTCUSDT", "--requestExchanges=BINANCE", "--requestTimeframes=1h", "--start=2024-03-01T00:00:00Z",
        "--end=2024-03-02T00:00:00Z", "--input=" + PipelineTestData.HISTORY_GLOB, "--output=" + out};
    BatchOptions options = ConfigLoader.options(args, BatchOptions.class);
    Pipeline p = Pipeline.create(options);
    BatchPipeline.build(p, BatchPreflight.check(options), 0);
    DirectRunnerAdaptations.apply(p);
    Set<String> names = names(p);
    for (String replaced : List.of("Inference/Predict/Batches/GroupByBucket/PackPerBundle", "PredictionFiles/PackedToAvroBytes",
        "PredictionFiles/PackPerTimeframe")) {
      assertTrue(names.contains(replaced), replaced + " in " + names);
    }
  }
}
