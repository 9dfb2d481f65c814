package com.cryptoml.inference.transforms.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/operations.md's metric table is the catalog, and the catalog covers every name InferenceMetrics defines. */
class MetricCatalogTest {
  private static final Path README = Files.isRegularFile(Path.of("..", "docs", "operations.md")) ? Path.of("..", "docs", "operations.md") : Path.of("docs", "operations.md");
  private static final String START = "<!-- metric-reference:start (generated from MetricCatalog.markdownTable(); MetricCatalogTest checks it) -->\n";
  private static final String END = "<!-- metric-reference:end -->";

  @Test
  void readmeTableIsTheCatalog() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf(START);
    int end = readme.indexOf(END);
    assertTrue(start >= 0 && end > start, "docs/operations.md lacks the metric reference markers");
    assertEquals(MetricCatalog.markdownTable(), readme.substring(start + START.length(), end),
        "docs/operations.md's metric reference is out of date; paste MetricCatalog.markdownTable()");
  }

  @Test
  void everyDefinedNameIsCatalogued() throws IllegalAccessException {
    for (Field f : InferenceMetrics.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("NAMESPACE")) {
        String name = (String) f.get(null);
        String sample = name.endsWith("_") ? name + "x" + (MetricCatalog.of(name + "x").map(s -> s.labels().contains(":") ? ":y" : "")
            .orElse("")) : name;
        assertTrue(MetricCatalog.of(sample).isPresent(), f.getName() + " (" + name + ") is not in the catalog");
        assertEquals(name, MetricCatalog.of(sample).get().name(), f.getName());
      }
    }
  }

  @Test
  void bucketCountersBelongToTheirHistogram() {
    assertEquals(InferenceMetrics.EVENT_TO_PUBLISH,
        MetricCatalog.of(InferenceMetrics.EVENT_TO_PUBLISH + LatencyHistogram.BUCKET + "250").get().name());
    assertEquals(MetricCatalog.Kind.HISTOGRAM, MetricCatalog.of(InferenceMetrics.ARRIVAL_TO_PUBLISH).get().kind());
    // longest prefix wins: predictions_tf_ is not predictions_out_
    assertEquals(InferenceMetrics.PREDICTIONS_TF, MetricCatalog.of("predictions_tf_1h").get().name());
  }

  @Test
  void quantilesAreBucketUpperBounds() {
    long[] counts = new long[LatencyHistogram.BOUNDS.size() + 1];
    counts[LatencyHistogram.bucketOf(7)] += 1;      // <= 10
    counts[LatencyHistogram.bucketOf(40)] += 1;     // <= 50
    counts[LatencyHistogram.bucketOf(45)] += 1;     // <= 50
    counts[LatencyHistogram.bucketOf(9_999_999)] += 1; // overflow
    assertEquals(50, LatencyHistogram.quantile(counts, 0.5));
    assertEquals(10, LatencyHistogram.quantile(counts, 0.25));
    assertEquals(3_600_000, LatencyHistogram.quantile(counts, 0.99), "overflow reports the largest bound");
    assertEquals(-1, LatencyHistogram.quantile(new long[counts.length], 0.5));
  }
}
