package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.models.registry.ModelRegistry;
import com.cryptoml.inference.models.registry.Registries;
import com.cryptoml.inference.models.serving.ModelLoader;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelResolver;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import com.cryptoml.inference.transforms.models.ModelsView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The models a stream serves, as a slowly changing side input: every {@code refresh} a periodic
 * impulse resolves the configured references in the registry; a new version is downloaded,
 * verified, loaded and warmed up before it replaces the old one (the swap happens between elements;
 * events name the version that served them). A version that fails any step is refused with an event
 * and the previous one keeps serving. An unreachable registry keeps everything serving, emits
 * {@code registry_unavailable} and backs off (doubling, up to 10 minutes).
 */
public final class RefreshActiveModels extends PTransform<PBegin, RefreshActiveModels.Result> {
  static final TupleTag<ActiveModels> MODELS = new TupleTag<>() {};
  static final TupleTag<KV<String, String>> EVENTS = new TupleTag<>() {};
  public static final String REGISTRY_FAILURES = "registry_refresh_failures";
  public static final String VERSION_CHANGES = "model_version_changes";
  /** Registry polls failed in a row (0 while it answers): {@code /health} reports the registry from it. */
  public static final String REGISTRY_FAILING = "registry_failed_polls";
  static final long MAX_BACKOFF_MILLIS = 600_000;

  private final InferenceConfig config;
  private final Duration refresh;

  public RefreshActiveModels(InferenceConfig config, Duration refresh) {
    this.config = config;
    this.refresh = refresh;
  }

  /** The side input and the platform events (keyed by "models"). */
  public record Result(ModelsView view, PCollection<KV<String, String>> events)
      implements org.apache.beam.sdk.values.POutput {
    private static final TupleTag<Void> VIEW = new TupleTag<>() {};

    @Override
    public org.apache.beam.sdk.Pipeline getPipeline() {
      return events.getPipeline();
    }

    @Override
    public java.util.Map<TupleTag<?>, org.apache.beam.sdk.values.PValue> expand() {
      return java.util.Map.of(VIEW, view.view(), EVENTS, events);
    }

    @Override
    public void finishSpecifyingOutput(String name, org.apache.beam.sdk.values.PInput input,
        PTransform<?, ?> transform) {}
  }

  @Override
  public Result expand(PBegin begin) {
    PCollectionTuple out = begin
        .apply("Tick", PeriodicImpulse.create().withInterval(refresh))
        .apply("EveryTick", Window.<Instant>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()))
            .discardingFiredPanes())
        .apply("OneKey", WithKeys.of("models"))
        .apply("Resolve", ParDo.of(new RefreshFn(config, refresh.getMillis())).withOutputTags(MODELS, TupleTagList.of(EVENTS)));
    ModelsView view = ModelsView.newestOf(out.get(MODELS).setCoder(SerializableCoder.of(ActiveModels.class))
        .apply("AsSideInput", View.asIterable()));
    PCollection<KV<String, String>> events = out.get(EVENTS).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return new Result(view, events);
  }

  static final class RefreshFn extends DoFn<KV<String, Instant>, ActiveModels> {
    @StateId("active")
    private final StateSpec<ValueState<ActiveModels>> activeSpec = StateSpecs.value(SerializableCoder.of(ActiveModels.class));

    @StateId("failures")
    private final StateSpec<ValueState<Integer>> failuresSpec = StateSpecs.value(VarIntCoder.of());

    @StateId("nextAttempt")
    private final StateSpec<ValueState<Long>> nextAttemptSpec = StateSpecs.value(VarLongCoder.of());

    private final InferenceConfig config;
    private final long refreshMillis;
    private transient ModelRegistry registry;
    private transient ModelLoader loader;

    RefreshFn(InferenceConfig config, long refreshMillis) {
      this.config = config;
      this.refreshMillis = refreshMillis;
    }

    @Setup
    public void setup() {
      registry = Registries.open(config.options().getRegistry());
      loader = new ModelLoader(registry, config.loadOptions());
    }

    @Teardown
    public void teardown() {
      if (registry != null) {
        registry.close();
      }
    }

    @ProcessElement
    public void process(@StateId("active") ValueState<ActiveModels> active, @StateId("failures") ValueState<Integer> failures,
        @StateId("nextAttempt") ValueState<Long> nextAttempt, MultiOutputReceiver out) {
      ActiveModels previous = active.read() == null ? ActiveModels.empty() : active.read();
      long now = System.currentTimeMillis();
      Long next = nextAttempt.read();
      if (next != null && now < next && previous.generation() > 0) {
        return; // backing off: keep serving what serves, do not ask the registry
      }
      ActiveModels resolved = new ModelResolver(config, registry, loader, true).resolve(previous);
      boolean unreachable = resolved.refusals().stream().anyMatch(r -> r.reason().equals("registry_unavailable"));
      if (unreachable) {
        int n = failures.read() == null ? 1 : failures.read() + 1;
        failures.write(n);
        nextAttempt.write(now + Math.min(MAX_BACKOFF_MILLIS, refreshMillis * (1L << Math.min(n, 20))));
        InferenceMetrics.counter(REGISTRY_FAILURES).inc();
        InferenceMetrics.gauge(REGISTRY_FAILING).set(n);
      } else {
        InferenceMetrics.gauge(REGISTRY_FAILING).set(0);
        failures.clear();
        nextAttempt.clear();
      }
      EventJson.Envelope env = new EventJson.Envelope(config.options().getEnvironment(), config.options().getSubEnvironment(), config.mode().code());
      for (String event : PlatformEvents.diff(previous, withoutRepeatedRefusals(previous, resolved), env, now)) {
        out.get(EVENTS).output(KV.of("models", event));
        if (event.contains("\"model_version_changed\"")) {
          InferenceMetrics.counter(VERSION_CHANGES).inc();
        }
      }
      active.write(resolved);
      if (changed(previous, resolved)) {
        out.get(MODELS).output(resolved); // publish a generation only when what serves changes
      }
    }

    private static boolean changed(ActiveModels previous, ActiveModels resolved) {
      if (previous.generation() == 0 || previous.active().size() != resolved.active().size()) {
        return true;
      }
      for (ActiveModels.Entry e : resolved.active().values()) {
        ActiveModels.Entry old = previous.forRef(e.ref());
        if (old == null || !old.version().cacheKey().equals(e.version().cacheKey())) {
          return true;
        }
      }
      return false;
    }

    /** A refusal already reported in the previous generation is not reported again. */
    private static ActiveModels withoutRepeatedRefusals(ActiveModels previous, ActiveModels resolved) {
      java.util.List<ActiveModels.Refusal> fresh = new java.util.ArrayList<>();
      for (ActiveModels.Refusal r : resolved.refusals()) {
        boolean seen = previous.refusals().stream().anyMatch(p -> p.ref().equals(r.ref())
            && java.util.Objects.equals(p.version(), r.version()) && p.reason().equals(r.reason()));
        if (!seen) {
          fresh.add(r);
        }
      }
      return fresh.size() == resolved.refusals().size() ? resolved : resolved.withRefusals(fresh);
    }
  }

}
