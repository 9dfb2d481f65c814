package com.cryptoml.inference.pipelines.report;

import com.cryptoml.inference.pipelines.config.ConfigLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.PipelineTestData;
import com.cryptoml.inference.pipelines.batch.Backfills;
import com.cryptoml.inference.pipelines.options.BatchOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A March backfill of the 1h models on BTC and ETH writes report.html beside its Parquet: its data
 * agree with the completion event, champion and challenger are judged on the same bars, and headless
 * Chromium renders every chart.
 */
class BackfillReportTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path out;
  @TempDir static Path cache;
  static Path report;
  static JsonNode completion;
  static JsonNode data;

  @BeforeAll
  static void backfill() throws Exception {
    BatchOptions options = ConfigLoader.options(new String[] {
        "--registry=" + PipelineTestData.REGISTRY, "--artifactCacheDir=" + cache, "--warmupIterations=2",
        "--predictionTimeoutMs=30000", "--requestId=report-march", "--requestSymbols=BTCUSDT,ETHUSDT",
        "--requestExchanges=BINANCE", "--requestTimeframes=1h", "--start=2024-03-01T00:00:00Z", "--end=2024-04-01T00:00:00Z",
        "--input=" + PipelineTestData.HISTORY_GLOB, "--output=" + out}, BatchOptions.class);
    Backfills.prepare(options).pipeline().run().waitUntilFinish();
    completion = JSON.readTree(Files.readString(out.resolve("batch_completed.json")));
    report = out.resolve("report.html");
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
        .matcher(Files.readString(report));
    assertTrue(m.find(), "report data block");
    data = JSON.readTree(m.group(1).replace("<\\/", "</"));
  }

  @Test
  void reportAgreesWithTheBackfill() {
    assertEquals(report.toAbsolutePath().toString(), completion.at("/output_files/report").asText());
    Map<String, Long> mixByModel = new HashMap<>();
    data.get("mix").forEach(r -> mixByModel.merge(r.get("model").asText(),
        r.get("short").asLong() + r.get("neutral").asLong() + r.get("long").asLong(), Long::sum));
    completion.at("/counts/1h/predicted").fields().forEachRemaining(e ->
        assertEquals(e.getValue().asLong(), mixByModel.get(e.getKey()), "daily mix of " + e.getKey()));
    long latencyCount = 0;
    for (JsonNode b : data.get("latency")) {
      latencyCount += b.get("count").asLong();
    }
    assertEquals(completion.at("/totals/predicted").asLong(), latencyCount, "every prediction in the latency histogram");

    Map<String, JsonNode> accuracy = new HashMap<>();
    data.get("accuracy").forEach(a -> accuracy.put(a.get("model_id").asText() + "@" + a.get("model_version").asText(), a));
    assertEquals(mixByModel.keySet(), accuracy.keySet(), "every model version has outcomes");
    JsonNode champion = accuracy.get("swing-high-v1-1h@1.0.0");
    JsonNode challenger = accuracy.get("swing-high-v1-1h@1.1.0");
    assertEquals(champion.get("outcomes").asLong(), challenger.get("outcomes").asLong(), "same bars, same horizon");
    accuracy.forEach((model, a) -> {
      long outcomes = a.get("outcomes").asLong();
      assertTrue(outcomes > 0.9 * mixByModel.get(model) && outcomes <= mixByModel.get(model), model + ": " + outcomes);
      long calibrated = 0;
      for (JsonNode b : a.get("calibration")) {
        calibrated += b.get("count").asLong();
      }
      assertEquals(outcomes, calibrated, model);
    });
    Set<String> driftModels = new HashSet<>();
    data.get("drift").forEach(r -> driftModels.add(r.get("model").asText()));
    assertEquals(mixByModel.keySet(), driftModels, "drift windows for every model version");
  }

  @Test
  void chromiumRendersEveryChart(@TempDir Path shots) throws Exception {
    String dom = Chromium.dumpDom(report);
    assertTrue(dom.contains("<body data-status=\"rendered\""), "scripts ran without a chart error");
    Matcher figure = Pattern.compile("<figure class=\"chart\" data-kind=\"([a-z]+)\" data-model=\"([^\"]*)\"([^>]*)>").matcher(dom);
    Map<String, Integer> byKind = new HashMap<>();
    while (figure.find()) {
      String attrs = figure.group(3);
      assertTrue(!attrs.contains("data-error"), "chart error: " + figure.group());
      Matcher rendered = Pattern.compile("data-rendered=\"(\\d+)\"").matcher(attrs);
      assertTrue(rendered.find() && Integer.parseInt(rendered.group(1)) > 0, "nothing drawn: " + figure.group());
      byKind.merge(figure.group(1), 1, Integer::sum);
    }
    int versions = data.get("accuracy").size();
    assertEquals(Map.of("mix", versions, "calibration", versions, "drift", versions, "latency", 1), byKind);
    assertTrue(Pattern.compile("<rect[^>]*class=\"mark\"").matcher(dom).results().count() > 100, "bars drawn as SVG");
    assertTrue(dom.contains("<polyline"), "drift lines drawn");

    BufferedImage png = ImageIO.read(Chromium.screenshot(report, shots.resolve("report.png")).toFile());
    Set<Integer> colors = new HashSet<>();
    for (int y = 0; y < png.getHeight(); y += 3) {
      for (int x = 0; x < png.getWidth(); x += 3) {
        colors.add(png.getRGB(x, y));
      }
    }
    assertTrue(colors.size() > 50, "the screenshot shows charts, not a blank page: " + colors.size() + " colours");
  }
}
