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
public record WithDeadLetters<T>(TupleTag<T> outputTag, PCollection<T> output, TupleTag<DeadLetter> deadLetterTag,
    PCollection<DeadLetter> deadLetters) implements POutput {
  /**
   * A step's two outputs. Sets the dead letters' schema coder, so pass the step's fresh output, not
   * one already applied to.
   */
  public WithDeadLetters {
    deadLetters.setCoder(Schemas.coder(deadLetters.getPipeline(), DeadLetter.class));
  }

  public static <T> WithDeadLetters<T> of(TupleTag<T> outputTag, PCollection<T> output,
      TupleTag<DeadLetter> deadLetterTag, PCollection<DeadLetter> deadLetters) {
    return new WithDeadLetters<>(outputTag, output, deadLetterTag, deadLetters);
  }

  @Override
  public Pipeline getPipeline() {
    return output.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(outputTag, output, deadLetterTag, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, org.apache.beam.sdk.transforms.PTransform<?, ?> transform) {}
}
