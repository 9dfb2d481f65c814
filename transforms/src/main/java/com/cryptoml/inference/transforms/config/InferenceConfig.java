package com.cryptoml.inference.transforms.config;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.serving.LoadOptions;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings a pipeline's steps carry: every {@link InferenceOptions} setting's value, as the
 * options held it when the pipeline was built, and the pipeline's {@link Mode}. Immutable and
 * serializable (a DoFn holds one); {@link #options()} reads it through the same getters the options
 * declare, so a setting has one declaration. The helpers below only derive from those values.
 */
public final class InferenceConfig implements Serializable {
  private static final long serialVersionUID = 2L;
  private static final List<Settings.Entry> ENTRIES = Settings.of(InferenceOptions.class);

  private final LinkedHashMap<String, Object> values;
  private final Mode mode;
  private transient InferenceOptions view;

  private InferenceConfig(LinkedHashMap<String, Object> values, Mode mode) {
    this.values = values;
    this.mode = mode;
  }

  /** The settings of {@code options}; one that is unset takes its default. */
  public static InferenceConfig of(InferenceOptions options, Mode mode) {
    LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    for (Settings.Entry e : ENTRIES) {
      Object v;
      try {
        v = e.getter().invoke(options);
      } catch (ReflectiveOperationException ex) {
        throw new IllegalStateException(ex);
      }
      values.put(e.option(), v != null ? v : Settings.parse(e, e.defaultText()));
    }
    return new InferenceConfig(values, mode);
  }

  /** Every setting at its default. */
  public static InferenceConfig defaults(Mode mode) {
    LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    for (Settings.Entry e : ENTRIES) {
      values.put(e.option(), Settings.parse(e, e.defaultText()));
    }
    return new InferenceConfig(values, mode);
  }

  /**
   * The same with some settings changed, each written as on the command line ({@code "batchSize",
   * "8"}); checked like the command line is.
   */
  public InferenceConfig with(String... optionValuePairs) {
    if (optionValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("option and value pairs expected");
    }
    LinkedHashMap<String, Object> changed = new LinkedHashMap<>(values);
    for (int i = 0; i < optionValuePairs.length; i += 2) {
      Settings.Entry e = entry(optionValuePairs[i]);
      changed.put(e.option(), Settings.parse(e, optionValuePairs[i + 1]));
    }
    List<String> problems = Settings.crossChecks(changed);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new InferenceConfig(changed, mode);
  }

  /** The same with a typed value. */
  public InferenceConfig with(String option, Object value) {
    LinkedHashMap<String, Object> changed = new LinkedHashMap<>(values);
    changed.put(entry(option).option(), value);
    return new InferenceConfig(changed, mode);
  }

  public InferenceConfig withMode(Mode other) {
    return new InferenceConfig(values, other);
  }

  private static Settings.Entry entry(String option) {
    return ENTRIES.stream().filter(e -> e.option().equals(option)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no setting --" + option));
  }

  /** The values, read through the options' getters. */
  public InferenceOptions options() {
    if (view == null) {
      view = (InferenceOptions) Proxy.newProxyInstance(InferenceOptions.class.getClassLoader(), new Class<?>[] {InferenceOptions.class},
          new Values(values));
    }
    return view;
  }

  /** Option name to value, in the reference's order. */
  public Map<String, Object> values() {
    return Collections.unmodifiableMap(values);
  }

  public Mode mode() {
    return mode;
  }

  /** A live stream: delays against the wall clock mean something, and a timed-out call is not retried. */
  public boolean live() {
    return mode == Mode.LIVE;
  }

  public Set<Timeframe> enabledTimeframes() {
    List<Timeframe> list = options().getEnabledTimeframes();
    return list.isEmpty() ? EnumSet.noneOf(Timeframe.class) : EnumSet.copyOf(list);
  }

  public Map<Timeframe, List<String>> timeframeSpecificModels() {
    return options().getModels().asMap();
  }

  /** Every model reference of the enabled timeframes, parsed. */
  public List<ModelRef> modelRefs() {
    List<ModelRef> refs = new ArrayList<>();
    for (Timeframe tf : enabledTimeframes()) {
      for (String spec : options().getModels().of(tf)) {
        refs.add(ModelRef.parse(spec));
      }
    }
    return refs;
  }

  public Set<String> symbols() {
    return new LinkedHashSet<>(options().getSymbols());
  }

  public Set<String> exchanges() {
    return new LinkedHashSet<>(options().getExchanges());
  }

  public Map<ModelType, ResourceHintSpec> resourceHints() {
    return options().getResourceHintsByModelType().asMap();
  }

  /** Bars a key keeps for forward fill: {@code feature_cache_duration} in bars, at least one. */
  public int forwardFillBars(Timeframe tf) {
    long bars = options().getFeatureCacheDuration().toMillis() / tf.barLength().toMillis();
    return (int) Math.max(1, Math.min(256, bars));
  }

  public LoadOptions loadOptions() {
    InferenceOptions o = options();
    return new LoadOptions(o.getArtifactCacheDir(), o.getWarmupIterations(), o.getBatchSize(), o.getUseGpu());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InferenceConfig c && c.mode == mode && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode() * 31 + mode.hashCode();
  }

  @Override
  public String toString() {
    return "InferenceConfig" + values + " " + mode;
  }

  /** Answers the settings' getters from the stored values; nothing else of the options interface. */
  private record Values(Map<String, Object> values) implements InvocationHandler, Serializable {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      String name = method.getName();
      if (name.equals("toString") && (args == null || args.length == 0)) {
        return "InferenceConfig.options" + values;
      }
      if (name.equals("hashCode") && (args == null || args.length == 0)) {
        return values.hashCode();
      }
      if (name.equals("equals") && args != null && args.length == 1) {
        return proxy == args[0];
      }
      if (name.startsWith("get") && (args == null || args.length == 0)) {
        String option = Settings.optionName(method);
        if (values.containsKey(option)) {
          return values.get(option);
        }
      }
      throw new UnsupportedOperationException(method.getName() + " is not a setting of the inference path");
    }
  }
}
