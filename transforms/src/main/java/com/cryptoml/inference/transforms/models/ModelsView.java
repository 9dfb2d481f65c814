package com.cryptoml.inference.transforms.models;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * How the inference path reads {@link ActiveModels} from its side input. Batch passes a singleton
 * view (resolved once). A stream's view is refreshed: it is read as an iterable of the generations
 * published so far and the newest wins, because some runners (the Direct runner) keep every pane of a
 * triggered global-window side input rather than only the last.
 */
public final class ModelsView implements Serializable {
  private final PCollectionView<ActiveModels> singleton;
  private final PCollectionView<Iterable<ActiveModels>> generations;
  private transient Iterable<ActiveModels> lastSeen;
  private transient ActiveModels lastNewest;

  private ModelsView(PCollectionView<ActiveModels> singleton, PCollectionView<Iterable<ActiveModels>> generations) {
    this.singleton = singleton;
    this.generations = generations;
  }

  public static ModelsView of(PCollectionView<ActiveModels> view) {
    return new ModelsView(view, null);
  }

  public static ModelsView newestOf(PCollectionView<Iterable<ActiveModels>> generations) {
    return new ModelsView(null, generations);
  }

  /** The view to declare with {@code withSideInputs}. */
  public PCollectionView<?> view() {
    return singleton != null ? singleton : generations;
  }

  /** The models serving now. */
  public ActiveModels read(DoFn<?, ?>.ProcessContext c) {
    if (singleton != null) {
      return c.sideInput(singleton);
    }
    Iterable<ActiveModels> all = c.sideInput(generations);
    if (all != lastSeen) {
      ActiveModels newest = null;
      for (ActiveModels a : all) {
        if (newest == null || a.generation() > newest.generation()) {
          newest = a;
        }
      }
      lastSeen = all;
      lastNewest = newest == null ? ActiveModels.empty() : newest;
    }
    return lastNewest;
  }
}
