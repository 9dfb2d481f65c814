package com.cryptoml.inference.transforms;

import com.cryptoml.inference.transforms.values.Schemas;
import com.cryptoml.inference.transforms.values.DeadLetter;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What every stage of the inference path returns: its good output and its dead letters, side by
 * side (Beam's dead-letter pattern with one shared {@link DeadLetter} type).
 */
public final class WithDeadLetters<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> outputTag;
  private final PCollection<T> output;
  private final TupleTag<DeadLetter> deadLetterTag;
  private final PCollection<DeadLetter> deadLetters;

  private WithDeadLetters(Pipeline pipeline, TupleTag<T> outputTag, PCollection<T> output,
      TupleTag<DeadLetter> deadLetterTag, PCollection<DeadLetter> deadLetters) {
    this.pipeline = pipeline;
    this.outputTag = outputTag;
    this.output = output;
    this.deadLetterTag = deadLetterTag;
    this.deadLetters = deadLetters;
  }

  /**
   * A step's two outputs. Sets the dead letters' schema coder, so pass the step's fresh output, not
   * one already applied to.
   */
  public static <T> WithDeadLetters<T> of(TupleTag<T> outputTag, PCollection<T> output,
      TupleTag<DeadLetter> deadLetterTag, PCollection<DeadLetter> deadLetters) {
    deadLetters.setCoder(Schemas.coder(deadLetters.getPipeline(), DeadLetter.class));
    return new WithDeadLetters<>(output.getPipeline(), outputTag, output, deadLetterTag, deadLetters);
  }

  public PCollection<T> output() {
    return output;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(outputTag, output, deadLetterTag, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, org.apache.beam.sdk.transforms.PTransform<?, ?> transform) {}
}
