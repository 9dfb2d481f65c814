package com.cryptoml.inference.runners.cli;

import com.cryptoml.inference.pipelines.config.ConfigLoader;
import java.util.Collection;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The closest known name to a mistyped one, when one is close enough to be what was meant. */
final class Suggestions {
  private Suggestions() {}

  static @Nullable String closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = ConfigLoader.distance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }
}
