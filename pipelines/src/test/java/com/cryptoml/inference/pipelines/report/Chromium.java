package com.cryptoml.inference.pipelines.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium (Debian's {@code chromium} package; {@code .ci/run} installs it). Missing on a
 * developer machine, the test is skipped with a message; missing under CI, it fails.
 */
final class Chromium {
  private Chromium() {}

  static Path binary() {
    for (String candidate : List.of(System.getenv().getOrDefault("CHROMIUM", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome")) {
      if (!candidate.isEmpty() && Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    String message = "headless Chromium not found (apt-get install chromium, or set CHROMIUM)";
    if (System.getenv("CI") != null) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
    return null;
  }

  /** The page's DOM after its scripts ran. */
  static String dumpDom(Path page) throws IOException, InterruptedException {
    return new String(run(page, "--dump-dom"), StandardCharsets.UTF_8);
  }

  /** A PNG screenshot of the page. */
  static Path screenshot(Path page, Path png) throws IOException, InterruptedException {
    run(page, "--screenshot=" + png, "--window-size=1200,2400");
    return png;
  }

  private static byte[] run(Path page, String... action) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + Files.createTempDirectory("chromium"),
        "--virtual-time-budget=5000"));
    cmd.addAll(List.of(action));
    cmd.add(page.toUri().toString());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exited with " + p.exitValue() + ": " + cmd);
    }
    return out;
  }
}
