package com.cryptoml.inference.runners.monitoring;

import com.cryptoml.inference.transforms.metrics.LatencyHistogram;
import com.cryptoml.inference.transforms.metrics.MetricCatalog;
import com.cryptoml.inference.transforms.metrics.MetricCatalog.Kind;
import com.cryptoml.inference.transforms.metrics.MetricCatalog.Spec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Beam metrics in Prometheus' text exposition format (version 0.0.4): one family per catalog entry,
 * with HELP (meaning and unit) and TYPE; a name prefix's suffix becomes labels; latency histograms
 * get cumulative {@code _bucket} series; distributions become summaries ({@code _sum}, {@code _count})
 * with {@code _min} and {@code _max} gauges.
 */
public final class PrometheusText {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  /** One series of a family. */
  record Series(String name, Map<String, String> labels, double value) {}

  /** A metric family: its TYPE, HELP and series. */
  record Family(String type, String help, List<Series> series) {}

  public static String render(MetricsSnapshot s, Map<String, Double> extraGauges) {
    Map<String, Family> families = new LinkedHashMap<>();
    s.counters().forEach((name, v) -> {
      if (!name.contains(LatencyHistogram.BUCKET)) {
        MetricCatalog.of(name).filter(spec -> spec.kind() == Kind.COUNTER)
            .ifPresent(spec -> add(families, spec.prometheusName(), "counter", help(spec), "", labels(spec, name), v));
      }
    });
    s.gauges().forEach((name, v) -> MetricCatalog.of(name).filter(spec -> spec.kind() == Kind.GAUGE)
        .ifPresent(spec -> add(families, spec.prometheusName(), "gauge", help(spec), "", labels(spec, name), v)));
    s.distributions().forEach((name, d) -> {
      Optional<Spec> found = MetricCatalog.of(name);
      if (found.isEmpty() || d.getCount() == 0) {
        return; // a summary without observations says nothing
      }
      Spec spec = found.get();
      String family = spec.prometheusName();
      Map<String, String> labels = labels(spec, name);
      String type = spec.kind() == Kind.HISTOGRAM ? "histogram" : "summary";
      if (spec.kind() == Kind.HISTOGRAM) {
        long cumulative = 0;
        for (int i = 0; i <= LatencyHistogram.BOUNDS.size(); i++) {
          boolean inf = i == LatencyHistogram.BOUNDS.size();
          String bound = inf ? LatencyHistogram.INF : String.valueOf(LatencyHistogram.BOUNDS.get(i));
          cumulative += s.counter(name + LatencyHistogram.BUCKET + bound);
          Map<String, String> le = new TreeMap<>(labels);
          le.put("le", inf ? "+Inf" : bound);
          add(families, family, type, help(spec), "_bucket", le, cumulative);
        }
      } else {
        // Min and max are gauges of their own families, as Prometheus client libraries write them.
        add(families, family + "_min", "gauge", "Smallest value of " + family + ".", "", labels, d.getMin());
        add(families, family + "_max", "gauge", "Largest value of " + family + ".", "", labels, d.getMax());
      }
      add(families, family, type, help(spec), "_sum", labels, d.getSum());
      add(families, family, type, help(spec), "_count", labels, d.getCount());
    });
    extraGauges.forEach((name, v) -> {
      Spec spec = MetricCatalog.ALL.stream().filter(x -> x.matches(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("not in the metric catalog: " + name));
      add(families, spec.prometheusName(), "gauge", help(spec), "", labels(spec, name), v);
    });

    StringBuilder out = new StringBuilder();
    new TreeMap<>(families).forEach((family, f) -> {
      out.append("# HELP ").append(family).append(' ').append(f.help()).append('\n');
      out.append("# TYPE ").append(family).append(' ').append(f.type()).append('\n');
      if (!f.type().equals("histogram")) { // buckets stay in increasing le order, as written
        f.series().sort(Comparator.comparing((Series x) -> x.name()).thenComparing(x -> x.labels().toString()));
      }
      for (Series x : f.series()) {
        out.append(x.name()).append(format(x.labels())).append(' ').append(number(x.value())).append('\n');
      }
    });
    return out.toString();
  }

  private static void add(Map<String, Family> families, String family, String type, String help, String suffix,
      Map<String, String> labels, double value) {
    families.computeIfAbsent(family, f -> new Family(type, help, new ArrayList<>()))
        .series().add(new Series(family + suffix, labels, value));
  }

  static Map<String, String> labels(Spec spec, String beamName) {
    Map<String, String> out = new TreeMap<>();
    if (!spec.isPrefix()) {
      return out;
    }
    String[] names = spec.labels().split(":");
    String[] values = beamName.substring(spec.name().length()).split(":", names.length);
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], i < values.length ? values[i] : "");
    }
    return out;
  }

  private static String help(Spec spec) {
    return (spec.meaning() + " Unit: " + spec.unit() + ".").replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String format(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("{");
    labels.forEach((k, v) -> {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    });
    return b.append('}').toString();
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }
}
