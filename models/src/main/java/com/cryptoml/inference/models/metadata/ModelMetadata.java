package com.cryptoml.inference.models.metadata;

import com.cryptoml.inference.models.ModelRefusedException;
import com.cryptoml.inference.models.ModelRefusedException.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything inference needs to know about a model beyond its SavedModel, read from the {@code
 * metadata:} key of its {@code MLmodel} file. Immutable and validated at parse time: a bad field is
 * refused with the model, the version and the field named.
 *
 * <p>Input layout: one row of {@code features.size() * lookback} floats, oldest bar first, features in
 * {@link #features()} order within each bar, each z-scored with {@link #normalization()} when
 * normalization is on. {@code lookback}: bars of history per prediction (1 = the current bar only);
 * {@code horizonBars}: bars ahead that the model's label looks, after which a prediction's outcome is
 * known; {@code signature}: the signature to serve, null for the MLmodel flavor's.
 */
public record ModelMetadata(String modelId, ModelType modelType, Timeframe timeframe, List<String> features, int lookback,
    int horizonBars, Map<String, FeatureStats> normalization, String inputTensor, OutputSpec output, String signature,
    Map<String, Histogram> histograms) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Checks the fields together; an {@link IllegalArgumentException} names what is wrong. */
  public ModelMetadata {
    if (modelId == null || modelType == null || timeframe == null || output == null) {
      throw new IllegalArgumentException("model_id, model_type, timeframe and output are required");
    }
    features = List.copyOf(features);
    if (features.isEmpty() || new HashSet<>(features).size() != features.size()) {
      throw new IllegalArgumentException("features must be non-empty and unique");
    }
    if (lookback < 1 || horizonBars < 1) {
      throw new IllegalArgumentException("lookback and horizon_bars must be >= 1");
    }
    for (String f : features) {
      if (!normalization.containsKey(f)) {
        throw new IllegalArgumentException("normalization is missing feature " + f);
      }
    }
    normalization = Collections.unmodifiableMap(new LinkedHashMap<>(normalization));
    histograms = Collections.unmodifiableMap(new LinkedHashMap<>(histograms));
  }

  /** Signature to serve, when the metadata names one; otherwise the MLmodel flavor's. */
  public Optional<String> signatureDefKey() {
    return Optional.ofNullable(signature);
  }

  /** Values per input row: {@code features x lookback}. */
  public int inputWidth() {
    return features.size() * lookback;
  }

  /** Means and standard deviations in feature order, for vectorised normalisation. */
  public double[] means() {
    return features.stream().mapToDouble(f -> normalization.get(f).mean()).toArray();
  }

  public double[] stds() {
    return features.stream().mapToDouble(f -> normalization.get(f).std()).toArray();
  }

  /**
   * Parses the {@code metadata:} node of an MLmodel file.
   *
   * @param model registry model name, for messages
   * @param version registry version, for messages
   */
  public static ModelMetadata parse(JsonNode node, String model, String version) {
    Parser p = new Parser(model, version);
    if (node == null || !node.isObject()) {
      throw p.invalid("metadata", "missing: the MLmodel file needs a 'metadata:' mapping");
    }
    Builder b = builder();
    b.modelId(p.text(node, "model_id"));
    String type = p.text(node, "model_type");
    b.modelType(ModelType.fromCode(type).orElseThrow(() -> p.invalid("model_type",
        "'" + type + "' is not one of directional, volatility, swing_points, pattern_completion")));
    String tf = p.text(node, "timeframe");
    b.timeframe(Timeframe.fromCode(tf).orElseThrow(() -> p.invalid("timeframe",
        "'" + tf + "' is not one of 1m, 5m, 15m, 1h, 4h, 1d")));
    JsonNode features = node.get("features");
    if (features == null || !features.isArray() || features.isEmpty()) {
      throw p.invalid("features", "must be a non-empty list of feature names");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode f : features) {
      if (!f.isTextual() || f.asText().isBlank()) {
        throw p.invalid("features", "every entry must be a feature name");
      }
      names.add(f.asText());
    }
    b.features(names);
    b.lookback(p.positiveInt(node, "lookback", 1));
    b.horizonBars(p.positiveInt(node, "horizon_bars", 1));
    JsonNode norm = node.get("normalization");
    if (norm == null || !norm.isObject()) {
      throw p.invalid("normalization", "must map every feature to {mean, std}");
    }
    for (String f : names) {
      JsonNode stats = norm.get(f);
      if (stats == null || !stats.path("mean").isNumber() || !stats.path("std").isNumber()) {
        throw p.invalid("normalization." + f, "needs numeric mean and std");
      }
      try {
        b.normalization(f, new FeatureStats(stats.get("mean").asDouble(), stats.get("std").asDouble()));
      } catch (IllegalArgumentException e) {
        throw p.invalid("normalization." + f, e.getMessage());
      }
    }
    b.inputTensor(node.path("input_tensor").asText("features"));
    b.output(parseOutput(node.get("output"), p));
    if (node.hasNonNull("signature_def_key")) {
      b.signatureDefKey(node.get("signature_def_key").asText());
    }
    JsonNode hist = node.get("training_histograms");
    if (hist != null && !hist.isNull()) {
      if (!hist.isObject()) {
        throw p.invalid("training_histograms", "must map feature names to {edges, fractions}");
      }
      for (var it = hist.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!names.contains(e.getKey())) {
          throw p.invalid("training_histograms." + e.getKey(), "is not one of the model's features");
        }
        try {
          b.histogram(e.getKey(), new Histogram(
              p.doubles(e.getValue(), "training_histograms." + e.getKey() + ".edges", "edges"),
              p.doubles(e.getValue(), "training_histograms." + e.getKey() + ".fractions", "fractions")));
        } catch (IllegalArgumentException ex) {
          throw p.invalid("training_histograms." + e.getKey(), ex.getMessage());
        }
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw p.invalid("metadata", e.getMessage());
    }
  }

  private static OutputSpec parseOutput(JsonNode out, Parser p) {
    if (out == null || !out.isObject()) {
      throw p.invalid("output", "must be a mapping with kind and tensor");
    }
    String tensor = p.text(out, "output.tensor", out.get("tensor"));
    OutputSpec.Kind kind;
    try {
      kind = OutputSpec.Kind.fromCode(p.text(out, "output.kind", out.get("kind")));
    } catch (IllegalArgumentException e) {
      throw p.invalid("output.kind", e.getMessage());
    }
    try {
      if (kind == OutputSpec.Kind.CLASS_PROBABILITIES) {
        JsonNode labels = out.get("labels");
        if (labels == null || !labels.isArray()) {
          throw p.invalid("output.labels", "must list the prediction (-1, 0, 1) of each output column");
        }
        List<Integer> values = new ArrayList<>();
        for (JsonNode l : labels) {
          if (!l.isInt()) {
            throw p.invalid("output.labels", "must be integers -1, 0 or 1");
          }
          values.add(l.asInt());
        }
        return OutputSpec.classProbabilities(tensor, values);
      }
      if (!out.path("long_threshold").isNumber() || !out.path("short_threshold").isNumber()) {
        throw p.invalid("output", "scalar output needs numeric long_threshold and short_threshold");
      }
      return OutputSpec.scalar(tensor, out.get("long_threshold").asDouble(), out.get("short_threshold").asDouble());
    } catch (IllegalArgumentException e) {
      throw p.invalid("output", e.getMessage());
    }
  }

  /** Field readers that turn every problem into a refusal naming the field. */
  private static final class Parser {
    private final String model;
    private final String version;

    Parser(String model, String version) {
      this.model = model;
      this.version = version;
    }

    ModelRefusedException invalid(String field, String problem) {
      return new ModelRefusedException(model, version, Reason.INVALID_METADATA, "metadata field '" + field + "' " + problem);
    }

    String text(JsonNode node, String field) {
      return text(node, field, node.get(field));
    }

    String text(JsonNode node, String field, JsonNode value) {
      if (value == null || !value.isTextual() || value.asText().isBlank()) {
        throw invalid(field, "is required and must be a non-empty string");
      }
      return value.asText();
    }

    int positiveInt(JsonNode node, String field, int defaultValue) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return defaultValue;
      }
      if (!value.isInt() || value.asInt() < 1) {
        throw invalid(field, "must be an integer >= 1, got " + value);
      }
      return value.asInt();
    }

    double[] doubles(JsonNode node, String field, String key) {
      JsonNode array = node.get(key);
      if (array == null || !array.isArray()) {
        throw invalid(field, "must be a list of numbers");
      }
      double[] out = new double[array.size()];
      for (int i = 0; i < out.length; i++) {
        if (!array.get(i).isNumber()) {
          throw invalid(field, "must be a list of numbers");
        }
        out[i] = array.get(i).asDouble();
      }
      return out;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder used by the parser and by the model exporter. */
  public static final class Builder {
    private String modelId;
    private ModelType modelType;
    private Timeframe timeframe;
    private List<String> features = List.of();
    private int lookback = 1;
    private int horizonBars = 1;
    private final Map<String, FeatureStats> normalization = new LinkedHashMap<>();
    private String inputTensor = "features";
    private OutputSpec output;
    private String signatureDefKey;
    private final Map<String, Histogram> histograms = new LinkedHashMap<>();

    public Builder modelId(String v) {
      modelId = v;
      return this;
    }

    public Builder modelType(ModelType v) {
      modelType = v;
      return this;
    }

    public Builder timeframe(Timeframe v) {
      timeframe = v;
      return this;
    }

    public Builder features(List<String> v) {
      features = List.copyOf(v);
      return this;
    }

    public Builder lookback(int v) {
      lookback = v;
      return this;
    }

    public Builder horizonBars(int v) {
      horizonBars = v;
      return this;
    }

    public Builder normalization(String feature, FeatureStats stats) {
      normalization.put(feature, stats);
      return this;
    }

    public Builder inputTensor(String v) {
      inputTensor = v;
      return this;
    }

    public Builder output(OutputSpec v) {
      output = v;
      return this;
    }

    public Builder signatureDefKey(String v) {
      signatureDefKey = v;
      return this;
    }

    public Builder histogram(String feature, Histogram h) {
      histograms.put(feature, h);
      return this;
    }

    public ModelMetadata build() {
      return new ModelMetadata(modelId, modelType, timeframe, features, lookback, horizonBars, normalization, inputTensor, output,
          signatureDefKey, histograms);
    }
  }

  @Override
  public String toString() {
    return modelId + "[" + modelType + ", " + timeframe + ", " + features.size() + " features x " + lookback + " bars]";
  }
}
