package com.cryptoml.inference.transforms.models;

import com.cryptoml.inference.models.metadata.ModelMetadata;
import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.models.registry.ModelRef;
import com.cryptoml.inference.models.registry.ModelVersion;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which model version serves each configured reference right now ({@code swing-high-v1-1h@champion}
 * and {@code swing-high-v1-1h@challenger} side by side), and which references each timeframe routes to.
 * The inference path reads it as a side input: built once at start in batch, refreshed from the
 * registry while a stream runs. Versions that were serving in the previous generation stay
 * findable, so inputs already routed to them still predict after a switch.
 */
public final class ActiveModels implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A configured reference served at a version, with that version's metadata. */
  public record Entry(String ref, ModelVersion version, ModelMetadata metadata) implements Serializable {
    public Entry {
      ref = ModelRef.parse(ref).toString(); // one spelling per reference: "m" is "m@champion"
    }

    public String modelId() {
      return version.name();
    }

    /** champion, challenger or pinned: see {@link ModelRef#role()}. */
    public String role() {
      return ModelRef.parse(ref).role();
    }

    public String servingKey() {
      return version.name() + ":" + version.version();
    }
  }

  /** A model id that has no servable version, or a version that was refused while another serves. */
  public record Refusal(String ref, String modelId, String version, String reason, String message) implements Serializable {}

  private final long generation;
  private final Map<String, Entry> active;
  private final Map<String, Entry> byServingKey;
  private final Map<Timeframe, List<String>> routes;
  private final List<Refusal> refusals;

  private ActiveModels(long generation, Map<String, Entry> active, Map<String, Entry> byServingKey,
      Map<Timeframe, List<String>> routes, List<Refusal> refusals) {
    this.generation = generation;
    this.active = Collections.unmodifiableMap(active);
    this.byServingKey = Collections.unmodifiableMap(byServingKey);
    this.routes = Collections.unmodifiableMap(routes);
    this.refusals = List.copyOf(refusals);
  }

  public static ActiveModels empty() {
    return new ActiveModels(0, new LinkedHashMap<>(), new LinkedHashMap<>(), new EnumMap<>(Timeframe.class), List.of());
  }

  /**
   * The next generation: {@code entries} serve, routed by their metadata's timeframe; the previous
   * generation's versions remain findable by serving key.
   */
  public ActiveModels next(List<Entry> entries, List<Refusal> refusals) {
    Map<String, Entry> active = new LinkedHashMap<>();
    Map<Timeframe, List<String>> routes = new EnumMap<>(Timeframe.class);
    Map<String, Entry> byKey = new LinkedHashMap<>(this.active.size());
    for (Entry old : this.active.values()) {
      byKey.putIfAbsent(old.servingKey(), old);
    }
    Set<String> newKeys = new LinkedHashSet<>();
    for (Entry e : entries) {
      active.put(e.ref(), e);
      if (newKeys.add(e.servingKey())) { // the first reference to a version speaks for it, as in routedTo
        byKey.put(e.servingKey(), e);
      }
      routes.computeIfAbsent(e.metadata().timeframe(), tf -> new ArrayList<>()).add(e.ref());
    }
    return new ActiveModels(generation + 1, active, byKey, routes, refusals);
  }

  /** The same generation with other refusals (what is new since the last one, for events). */
  public ActiveModels withRefusals(List<Refusal> refusals) {
    return new ActiveModels(generation, new LinkedHashMap<>(active), new LinkedHashMap<>(byServingKey), new EnumMap<>(routes), refusals);
  }

  public long generation() {
    return generation;
  }

  /** Reference ({@code name@alias}, {@code name:7}) to serving entry. */
  public Map<String, Entry> active() {
    return active;
  }

  /** The entry serving a configured reference, or null. */
  public Entry forRef(String ref) {
    return active.get(ModelRef.parse(ref).toString());
  }

  /**
   * The entries a timeframe's bars go to, in configuration order; two references resolving to the
   * same version (champion promoted, challenger not yet moved) are served once.
   */
  public List<Entry> routedTo(Timeframe tf) {
    List<Entry> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String ref : routes.getOrDefault(tf, List.of())) {
      Entry e = active.get(ref);
      if (seen.add(e.servingKey())) {
        out.add(e);
      }
    }
    return out;
  }

  /** The union of features the models of a timeframe need. */
  public Set<String> requiredFeatures(Timeframe tf) {
    Set<String> features = new LinkedHashSet<>();
    routedTo(tf).forEach(e -> features.addAll(e.metadata().features()));
    return features;
  }

  /** A serving or just-retired version by {@code modelId:registryVersion}, or null. */
  public Entry find(String servingKey) {
    return byServingKey.get(servingKey);
  }

  public List<Refusal> refusals() {
    return refusals;
  }

  /** {@code reference -> version_label} of what serves, for events and summaries. */
  public Map<String, String> versionLabels() {
    Map<String, String> out = new LinkedHashMap<>();
    active.forEach((ref, e) -> out.put(ref, e.version().versionLabel()));
    return out;
  }

  /** Identity for Beam's mutation checks and side-input caching: generation and what serves. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ActiveModels a && generation == a.generation && servingKeys().equals(a.servingKeys());
  }

  @Override
  public int hashCode() {
    return Long.hashCode(generation) * 31 + servingKeys().hashCode();
  }

  private Map<String, String> servingKeys() {
    Map<String, String> out = new LinkedHashMap<>();
    active.forEach((ref, e) -> out.put(ref, e.version().cacheKey()));
    return out;
  }

  @Override
  public String toString() {
    return "ActiveModels#" + generation + versionLabels();
  }
}
