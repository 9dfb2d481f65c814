package com.cryptoml.inference.runners.direct;

import com.cryptoml.inference.pipelines.batch.PredictionFiles;
import com.cryptoml.inference.pipelines.streaming.KafkaFeatureSource;
import com.cryptoml.inference.transforms.grouping.GroupBuckets;
import com.cryptoml.inference.transforms.history.BuildModelInputs;
import com.cryptoml.inference.transforms.predict.PredictBatches;
import com.cryptoml.inference.transforms.quality.JoinOutcomes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformOverride;
import org.apache.beam.sdk.runners.PTransformOverrideFactory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.util.construction.PTransformMatchers;
import org.apache.beam.sdk.util.construction.PTransformReplacements;
import org.apache.beam.sdk.util.construction.ReplacementOutputs;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What the runner layer changes when a pipeline runs on the Direct runner, in one place: once the
 * pipeline is built, each adaptation replaces one stock step with a version the Direct runner runs
 * fast enough for the demo and a laptop ({@link Pipeline#replaceAll}, the mechanism runners use for
 * their own overrides), and after it starts, the holds janitor runs beside it. On any other runner
 * nothing here applies: Dataflow runs the stock steps. Each adaptation's reason and figure:
 * docs/decisions/direct-runner-adaptations.md; {@code --directAdaptations} turns each off.
 */
public final class DirectRunnerAdaptations {
  /** The adaptations, by the names {@code --directAdaptations} uses. */
  public static final List<String> NAMES = List.of("kafka-read", "state-shards", "bundle-batches", "packs", "holds-janitor");

  private DirectRunnerAdaptations() {}

  public static boolean isDirect(PipelineOptions options) {
    return DirectRunner.class.isAssignableFrom(options.getRunner());
  }

  /**
   * The adaptations {@code --directAdaptations} selects: {@code all}, {@code none}, names, and names
   * prefixed with '-' to leave out, read in order ({@code -packs} alone is every adaptation but packs).
   */
  static Set<String> selected(PipelineOptions options) {
    Set<String> on = new LinkedHashSet<>();
    boolean first = true;
    for (String s : options.as(DirectAdaptationOptions.class).getDirectAdaptations().split(",")) {
      String name = s.trim();
      if (first && name.startsWith("-")) {
        on.addAll(NAMES);
      }
      first = false;
      if (name.equals("all")) {
        on.addAll(NAMES);
      } else if (name.equals("none")) {
        on.clear();
      } else if (name.startsWith("-")) {
        check(name.substring(1));
        on.remove(name.substring(1));
      } else if (!name.isEmpty()) {
        check(name);
        on.add(name);
      }
    }
    return on;
  }

  private static void check(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("--directAdaptations: unknown adaptation '" + name + "' (" + String.join(", ", NAMES) + ")");
    }
  }

  /** Replaces the stock steps of a built pipeline; nothing unless it runs on the Direct runner. */
  public static void apply(Pipeline p) {
    PipelineOptions options = p.getOptions();
    if (!isDirect(options)) {
      return;
    }
    Set<String> on = selected(options);
    DirectAdaptationOptions direct = options.as(DirectAdaptationOptions.class);
    int shards = direct.getStateShards() != null ? direct.getStateShards() : options.as(DirectOptions.class).getTargetParallelism();
    List<PTransformOverride> overrides = new ArrayList<>();
    if (on.contains("kafka-read")) {
      overrides.add(replace(KafkaFeatureSource.class, a -> true, s -> new BatchedKafkaSource(s, direct.getDirectReadBatch())));
    }
    if (on.contains("state-shards")) {
      overrides.add(replace(BuildModelInputs.class, DirectRunnerAdaptations::unbounded, s -> new ShardedBuildModelInputs(s, shards)));
      overrides.add(replace(JoinOutcomes.class, a -> true, s -> new ShardedJoinOutcomes(s, shards)));
    }
    if (on.contains("bundle-batches")) {
      overrides.add(replace(PredictBatches.class, a -> ((PredictBatches) a.getTransform()).batching() == PredictBatches.Batching.STREAMING,
          PredictInBundleFn::replacing));
    }
    if (on.contains("packs")) {
      overrides.add(replace(GroupBuckets.class, a -> true, s -> GroupInPacks.create()));
      overrides.add(replace(PredictionFiles.class, a -> true, PackedPredictionFiles::new));
    }
    p.replaceAll(overrides);
  }

  /**
   * Closes the readers the batched source opened for the pipeline of {@code options}, which the Direct
   * runner leaves open when it cancels a pipeline; for a caller that has cancelled it and runs on.
   */
  public static void closeReaders(PipelineOptions options) {
    OpenReaders.closeAll(options.getOptionsId());
  }

  /** Starts what runs beside a running pipeline (holds-janitor, for streams); null when nothing does. */
  public static AutoCloseable afterRun(PipelineResult result, PipelineOptions options, boolean streaming) {
    if (!isDirect(options) || !streaming || !selected(options).contains("holds-janitor")) {
      return null;
    }
    return DirectHoldsJanitor.start(result, java.time.Duration.ofSeconds(2)).orElse(null);
  }

  private static boolean unbounded(AppliedPTransform<?, ?, ?> applied) {
    for (Map.Entry<TupleTag<?>, PCollection<?>> in : applied.getMainInputs().entrySet()) {
      if (in.getValue().isBounded() == PCollection.IsBounded.UNBOUNDED) {
        return true;
      }
    }
    return false;
  }

  /** An override of every application of {@code type} that {@code when} accepts, by {@code replacement}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T extends PTransform<?, ?>> PTransformOverride replace(Class<T> type,
      java.util.function.Predicate<AppliedPTransform<?, ?, ?>> when, Function<T, PTransform<?, ?>> replacement) {
    return PTransformOverride.of(a -> PTransformMatchers.classEqualTo(type).matches(a) && when.test(a),
        new Replace(replacement));
  }

  /** Replaces a composite with another on the same main input; outputs are matched by tag, or a single output by itself. */
  private static final class Replace<InT extends PInput, OutT extends POutput, T extends PTransform<InT, OutT>>
      implements PTransformOverrideFactory<InT, OutT, T> {
    private final Function<T, PTransform<InT, OutT>> replacement;

    Replace(Function<T, PTransform<InT, OutT>> replacement) {
      this.replacement = replacement;
    }

    @Override
    @SuppressWarnings("unchecked")
    public PTransformReplacement<InT, OutT> getReplacementTransform(AppliedPTransform<InT, OutT, T> applied) {
      InT input = applied.getMainInputs().isEmpty() ? (InT) PBegin.in(applied.getPipeline())
          : (InT) PTransformReplacements.getSingletonMainInput((AppliedPTransform) applied);
      return PTransformReplacement.of(input, replacement.apply(applied.getTransform()));
    }

    @Override
    public Map<PCollection<?>, ReplacementOutput> mapOutputs(Map<TupleTag<?>, PCollection<?>> outputs, OutT newOutput) {
      return newOutput instanceof PCollection ? ReplacementOutputs.singleton(outputs, newOutput) : ReplacementOutputs.tagged(outputs, newOutput);
    }
  }
}
