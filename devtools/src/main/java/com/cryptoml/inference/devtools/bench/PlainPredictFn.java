package com.cryptoml.inference.devtools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The hand-written programs' loop body as a DoFn, for the plain Beam pipelines: a predictor per
 * instance over the model the JVM loaded once ({@link PlainPredictor#shared}), rows z-scored into a batch buffer as they come, predicted
 * when {@code batch} are pending and at the end of a bundle.
 *
 * @param <I> the step's input
 * @param <O> what it outputs per predicted row
 * @param <P> what it keeps of a pending row
 */
abstract class PlainPredictFn<I, O, P> extends DoFn<I, O> {
  private final String registry;
  private final String modelRef;
  private final String cacheDir;
  private final int batch;
  protected transient PlainPredictor model;
  protected transient float[] buffer;
  private transient List<P> pending;

  PlainPredictFn(String registry, String modelRef, String cacheDir, int batch) {
    this.registry = registry;
    this.modelRef = modelRef;
    this.cacheDir = cacheDir;
    this.batch = batch;
  }

  /** The output for row {@code i} of row-major probabilities over {@code classes} columns. */
  abstract O output(P row, float[] probabilities, int i, int classes);

  @Setup
  public void setup() throws Exception {
    model = PlainPredictor.shared(registry, modelRef, cacheDir);
    buffer = new float[batch * model.width];
    pending = new ArrayList<>(batch);
  }

  /** The buffer row the next pending row is z-scored into. */
  int nextRow() {
    return pending.size();
  }

  /** Adds a row already z-scored into {@link #nextRow()}; predicts the batch once it is full. */
  void add(P row, Consumer<O> out) throws Exception {
    pending.add(row);
    if (pending.size() == batch) {
      flush(out);
    }
  }

  /** Predicts what is pending; returns how many rows that was. */
  int flush(Consumer<O> out) throws Exception {
    int n = pending.size();
    if (n == 0) {
      return 0;
    }
    float[] p = model.predict(buffer, n);
    int classes = p.length / n;
    for (int i = 0; i < n; i++) {
      out.accept(output(pending.get(i), p, i, classes));
    }
    pending.clear();
    return n;
  }

  @Teardown
  public void teardown() {
    if (model != null) {
      model.close();
    }
  }
}
