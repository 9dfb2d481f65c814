package com.cryptoml.inference.transforms.quality;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class InGlobalWindowTest {
  @Test
  void onlyAnInputInOtherWindowsGetsAStep() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Integer> global = p.apply("Global", Create.of(1, 2));
    assertSame(global, InGlobalWindow.of("Rewindow", global));
    PCollection<Integer> fixed = p.apply("Fixed", Create.of(1, 2)).apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    PCollection<Integer> rewindowed = InGlobalWindow.of("Rewindow", fixed);
    assertNotSame(fixed, rewindowed);
    assertInstanceOf(GlobalWindows.class, rewindowed.getWindowingStrategy().getWindowFn());
  }
}
