package com.cryptoml.inference.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documents a newcomer reads stay usable: the README fits in 250 lines, and every relative link in
 * it and under docs/ points at a file that exists. (docs/configuration.md's reference table is kept in
 * sync by ConfigReferenceTest, docs/operations.md's metric table by MetricCatalogTest.)
 */
class DocsTest {
  static final Path ROOT = Files.isRegularFile(Path.of("..", "README.md")) ? Path.of("..") : Path.of(".");
  static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> walk = Files.walk(ROOT.resolve("docs"))) {
      walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    for (String module : List.of("models", "transforms", "pipelines", "runners", "testdata")) {
      docs.add(ROOT.resolve(module).resolve("README.md"));
    }
    return docs;
  }

  @Test
  void theReadmeFitsIn250Lines() throws IOException {
    long lines = Files.readAllLines(ROOT.resolve("README.md")).size();
    assertTrue(lines <= 250, "README.md has " + lines + " lines; at most 250");
  }

  @Test
  void everyRelativeLinkPointsAtAFileThatExists() throws IOException {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path doc : documents()) {
      Matcher m = LINK.matcher(Files.readString(doc));
      while (m.find()) {
        String target = m.group(1);
        if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#") || target.startsWith("mailto:")) {
          continue;
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        checked++;
        if (!Files.exists(doc.getParent().resolve(file))) {
          broken.add(ROOT.relativize(doc) + ": " + target);
        }
      }
    }
    assertTrue(checked > 20, "links were found: " + checked);
    assertEquals(List.of(), broken, "relative links to missing files");
  }
}
