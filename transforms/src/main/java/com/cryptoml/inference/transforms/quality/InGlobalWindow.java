package com.cryptoml.inference.transforms.quality;

import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;

/**
 * Re-windows into the global window only when the input is in other windows. {@code
 * Window.into(new GlobalWindows())} on an input already there changes nothing (it keeps the trigger),
 * yet on the Direct runner it is one more step every bundle pays for; a stream's inference outputs are
 * already in the global window.
 */
final class InGlobalWindow {
  private InGlobalWindow() {}

  static <T> PCollection<T> of(String name, PCollection<T> in) {
    return in.getWindowingStrategy().getWindowFn() instanceof GlobalWindows ? in : in.apply(name, Window.into(new GlobalWindows()));
  }
}
