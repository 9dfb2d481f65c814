package com.cryptoml.inference.pipelines.batch;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.ModelVersion;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.registry.RegistryException;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.pipelines.io.BeamFiles;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.Mode;
import com.cryptoml.inference.transforms.config.TimeframeModels;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelResolver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Everything a backfill checks before its pipeline is built, in the driver: the request (range,
 * symbols, exchanges, timeframes, input, output), the Parquet input, and every model reference,
 * resolved once and verified as its workers will load it (recorded in the completion event). A
 * request that cannot run is refused with every reason at once ({@link Refused}).
 */
public final class BatchPreflight {
  private BatchPreflight() {}

  /** A backfill ready to build: the request, the configuration it runs with, the models, the input. */
  public record Checked(BatchRequest request, InferenceConfig config, ActiveModels models, ParquetPreflight.Summary input) {}

  /** One reason a request or one of its models cannot run; reference, model and version where they apply. */
  public record Refusal(@Nullable String ref, @Nullable String model, @Nullable String version, String reason, String detail) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      if (ref != null) {
        b.append(ref);
        if (version != null) {
          b.append(" (").append(model).append(" version ").append(version).append(')');
        }
        b.append(": ");
      }
      return b.append(reason).append(": ").append(detail).toString();
    }
  }

  /** The request was refused: every reason, one per line. */
  public static final class Refused extends IllegalArgumentException {
    private final List<Refusal> refusals;

    Refused(String requestId, List<Refusal> refusals) {
      super("batch request " + requestId + " refused:\n  - " + String.join("\n  - ", refusals.stream().map(Refusal::toString).toList()));
      this.refusals = List.copyOf(refusals);
    }

    public List<Refusal> refusals() {
      return refusals;
    }
  }

  public static Checked check(BatchOptions options) {
    InferenceConfig base = InferenceConfig.of(options, Mode.BATCH);
    BatchRequest request = request(options);
    List<Refusal> refusals = new ArrayList<>();
    try (ModelRegistry registry = Registries.open(base.options().getRegistry())) {
      request.problems(base).forEach(p -> refusals.add(new Refusal(null, null, null, "invalid_request", p)));
      ParquetPreflight.Summary input = null;
      if (request.input() != null && !request.input().isBlank()) {
        try {
          input = ParquetPreflight.check(request.input());
        } catch (IllegalArgumentException e) {
          refusals.add(new Refusal(null, null, null, "invalid_input", e.getMessage()));
        }
      }
      ModelLoader loader = new ModelLoader(registry, base.loadOptions());
      Map<String, Timeframe> timeframeOfRef = new HashMap<>();
      Set<String> refs = new LinkedHashSet<>(request.models());
      if (refs.isEmpty()) {
        for (Timeframe tf : request.timeframes()) {
          refs.addAll(base.timeframeSpecificModels().getOrDefault(tf, List.of()));
        }
      }
      for (String ref : refs) {
        Refusal refused = verify(ref, registry, loader, timeframeOfRef);
        if (refused != null) {
          refusals.add(refused);
        }
      }
      if (!refusals.isEmpty()) {
        throw new Refused(request.requestId(), refusals);
      }
      InferenceConfig config = base
          .with("models", TimeframeModels.of(request.modelsByTimeframe(base, timeframeOfRef)))
          .with("enabledTimeframes", new ArrayList<>(request.timeframes()))
          .with("subEnvironment", "backfill")
          // a backfill judges bars by the requested range, not by today
          .with("referenceClock", com.cryptoml.inference.transforms.config.ReferenceClock.none());
      ActiveModels active = new ModelResolver(config, registry, loader, false).resolve(ActiveModels.empty());
      for (ActiveModels.Refusal r : active.refusals()) {
        refusals.add(new Refusal(r.ref(), r.modelId(), r.version(), r.reason(), r.message()));
      }
      for (Timeframe tf : request.timeframes()) {
        if (refusals.isEmpty() && active.routedTo(tf).isEmpty()) {
          refusals.add(new Refusal(null, null, null, "no_model", "no model serves timeframe " + tf));
        }
      }
      if (!refusals.isEmpty()) {
        throw new Refused(request.requestId(), refusals);
      }
      return new Checked(request, config, active, input);
    } catch (RegistryException e) {
      throw new Refused(request.requestId(), List.of(new Refusal(null, null, null, "registry_unavailable", e.getMessage())));
    }
  }

  /** Resolves and verifies one reference; null when it would serve. */
  private static @Nullable Refusal verify(String ref, ModelRegistry registry, ModelLoader loader, Map<String, Timeframe> timeframeOfRef) {
    ModelRef parsed;
    try {
      parsed = ModelRef.parse(ref);
    } catch (IllegalArgumentException e) {
      return new Refusal(ref, null, null, "invalid_reference", e.getMessage());
    }
    ModelVersion version;
    try {
      version = registry.resolve(parsed);
    } catch (RegistryException e) {
      return new Refusal(ref, parsed.name(), null, e.isNotFound() ? "not_found" : e.isInvalid() ? "invalid_metadata" : "registry_unavailable",
          e.getMessage());
    }
    try {
      timeframeOfRef.put(ref, loader.prepare(version).metadata().timeframe());
      return null;
    } catch (ModelRefusedException e) {
      return new Refusal(ref, version.name(), version.version(), e.reason().code(), e.getMessage());
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
        o.getRequestSymbols() != null ? new LinkedHashSet<>(o.getRequestSymbols()) : fromFile != null ? fromFile.symbols() : Set.of(),
        o.getRequestExchanges() != null ? new LinkedHashSet<>(o.getRequestExchanges()) : fromFile != null ? fromFile.exchanges() : Set.of(),
        o.getRequestTimeframes() != null ? BatchRequest.timeframes(o.getRequestTimeframes()) : fromFile != null ? fromFile.timeframes() : Set.of(),
        o.getStart() != null ? BatchRequest.instant(o.getStart(), "start") : fromFile != null ? fromFile.start() : BatchRequest.instant(null, "start"),
        o.getEnd() != null ? BatchRequest.instant(o.getEnd(), "end") : fromFile != null ? fromFile.end() : BatchRequest.instant(null, "end"),
        o.getRequestModels() != null ? new ArrayList<>(o.getRequestModels()) : fromFile != null ? fromFile.models() : List.of(),
        o.getInput() != null ? o.getInput() : fromFile != null ? fromFile.input() : null,
        output,
        o.getCompletionSink() != null ? o.getCompletionSink() : fromFile != null && o.getOutput() == null
            ? fromFile.completionSink() : BatchRequest.defaultSink(output == null ? "" : output));
  }
}
