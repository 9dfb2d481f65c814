package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.pipelines.io.BeamFiles;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.pipelines.config.ConfigLoader;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.ReferenceClock;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelResolver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;

/**
 * Everything a backfill does before its pipeline runs, in the driver: read the configuration and the
 * request, refuse a bad request, check the Parquet input, resolve each model reference once (recorded
 * in the completion event), then build the pipeline.
 */
public final class BatchLauncher {
  private BatchLauncher() {}

  /** A backfill ready to run. */
  public record Prepared(Pipeline pipeline, BatchRequest request, InferenceConfig config, ActiveModels models,
      ParquetPreflight.Summary input, BatchPipeline.Outputs outputs) {}

  public static Prepared prepare(BatchOptions options) {
    long startedAt = System.currentTimeMillis();
    InferenceConfig base = ConfigLoader.load(options);
    BatchRequest request = request(options);
    List<String> problems;
    try (ModelRegistry registry = Registries.open(base.registryUri())) {
      problems = request.problems(base, registry);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("batch request " + request.requestId() + " refused:\n  - " + String.join("\n  - ", problems));
      }
      ParquetPreflight.Summary input = ParquetPreflight.check(request.input());
      ModelLoader loader = new ModelLoader(registry, base.loadOptions());
      Map<String, Timeframe> timeframeOfRef = new HashMap<>();
      for (String ref : request.models()) {
        timeframeOfRef.put(ref, loader.prepare(registry.resolve(ModelRef.parse(ref))).metadata().timeframe());
      }
      InferenceConfig config = base.toBuilder()
          .timeframeSpecificModels(request.modelsByTimeframe(base, timeframeOfRef))
          .enabledTimeframes(EnumSet.copyOf(request.timeframes()))
          .mode("batch")
          .subEnvironment("backfill")
          .referenceClock(ReferenceClock.none()) // a backfill judges bars by the requested range, not by today
          .build();
      ActiveModels active = new ModelResolver(config, registry, loader, false).resolve(ActiveModels.empty());
      if (!active.refusals().isEmpty()) {
        throw new IllegalArgumentException("batch request " + request.requestId() + " refused: "
            + active.refusals().stream().map(ActiveModels.Refusal::message).toList());
      }
      for (Timeframe tf : request.timeframes()) {
        if (active.routedTo(tf).isEmpty()) {
          throw new IllegalArgumentException("batch request " + request.requestId() + " refused: no model serves timeframe " + tf);
        }
      }
      Pipeline p = Pipeline.create(options);
      BatchPipeline.Outputs outputs = BatchPipeline.build(p, request, config, active, startedAt);
      return new Prepared(p, request, config, active, input, outputs);
    }
  }

  /** The request from {@code --requestFile}, with any request option overriding the file's field. */
  public static BatchRequest request(BatchOptions o) {
    BatchRequest fromFile = null;
    if (o.getRequestFile() != null) {
      try {
        fromFile = BatchRequest.fromJson(BeamFiles.readString(o.getRequestFile()));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read batch request " + o.getRequestFile() + ": " + e.getMessage(), e);
      }
    }
    String id = o.getRequestId() != null ? o.getRequestId() : fromFile != null ? fromFile.requestId() : null;
    String output = o.getOutput() != null ? o.getOutput() : fromFile != null ? fromFile.output() : null;
    return new BatchRequest(
        id,
        o.getRequestSymbols() != null ? new LinkedHashSet<>(o.getRequestSymbols()) : fromFile != null ? fromFile.symbols() : java.util.Set.of(),
        o.getRequestExchanges() != null ? new LinkedHashSet<>(o.getRequestExchanges()) : fromFile != null ? fromFile.exchanges() : java.util.Set.of(),
        o.getRequestTimeframes() != null ? BatchRequest.timeframes(o.getRequestTimeframes()) : fromFile != null ? fromFile.timeframes() : java.util.Set.of(),
        o.getStart() != null ? BatchRequest.instant(o.getStart(), "start") : fromFile != null ? fromFile.start() : BatchRequest.instant(null, "start"),
        o.getEnd() != null ? BatchRequest.instant(o.getEnd(), "end") : fromFile != null ? fromFile.end() : BatchRequest.instant(null, "end"),
        o.getRequestModels() != null ? new ArrayList<>(o.getRequestModels()) : fromFile != null ? fromFile.models() : List.of(),
        o.getInput() != null ? o.getInput() : fromFile != null ? fromFile.input() : null,
        output,
        o.getCompletionSink() != null ? o.getCompletionSink() : fromFile != null && o.getOutput() == null
            ? fromFile.completionSink() : BatchRequest.defaultSink(output == null ? "" : output));
  }
}
