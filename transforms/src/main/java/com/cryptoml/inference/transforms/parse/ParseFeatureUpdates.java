package com.cryptoml.inference.transforms.parse;

import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.values.Schemas;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import com.cryptoml.inference.transforms.values.RawEvent;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * JSON feature updates to {@link FeatureUpdate}s, with event time set to the bar close time in the
 * payload. Whatever does not parse becomes a dead letter with the reason and the original bytes.
 */
public final class ParseFeatureUpdates extends PTransform<PCollection<RawEvent>, WithDeadLetters<FeatureUpdate>> {
  public static final TupleTag<FeatureUpdate> PARSED = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final int maxPayloadBytes;
  private final boolean keyRequired;

  private ParseFeatureUpdates(int maxPayloadBytes, boolean keyRequired) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.keyRequired = keyRequired;
  }

  public static ParseFeatureUpdates withMaxPayloadBytes(int maxPayloadBytes) {
    return new ParseFeatureUpdates(maxPayloadBytes, false);
  }

  /** Also require message keys {@code symbol:exchange} that match the payload (Kafka). */
  public ParseFeatureUpdates requiringKeys() {
    return new ParseFeatureUpdates(maxPayloadBytes, true);
  }

  @Override
  public WithDeadLetters<FeatureUpdate> expand(PCollection<RawEvent> input) {
    PCollectionTuple out = input.apply("ParseJson",
        ParDo.of(new ParseFn(maxPayloadBytes, keyRequired)).withOutputTags(PARSED, TupleTagList.of(DEAD_LETTERS)));
    return WithDeadLetters.of(PARSED, out.get(PARSED).setCoder(Schemas.coder(input.getPipeline(), FeatureUpdate.class)), DEAD_LETTERS,
        out.get(DEAD_LETTERS));
  }

  static final class ParseFn extends DoFn<RawEvent, FeatureUpdate> {
    private final int maxPayloadBytes;
    private final boolean keyRequired;
    private transient FeatureUpdateParser parser;

    ParseFn(int maxPayloadBytes, boolean keyRequired) {
      this.maxPayloadBytes = maxPayloadBytes;
      this.keyRequired = keyRequired;
    }

    @Setup
    public void setup() {
      parser = new FeatureUpdateParser(maxPayloadBytes);
    }

    /**
     * The update at its bar close time, which the source has already made the event time (Kafka's
     * timestamp policy, Pub/Sub's timestamp attribute); a source that could not leaves a later
     * timestamp, which is kept: event time never moves back.
     */
    @ProcessElement
    public void process(@Element RawEvent raw, @Timestamp Instant at, MultiOutputReceiver out) {
      FeatureUpdateParser.Result r = parser.parse(raw.getPayload(), raw.getSource(), raw.getKey(), keyRequired);
      if (r.update() != null) {
        Instant bar = r.update().getTimestamp();
        out.get(PARSED).outputWithTimestamp(r.update(), bar.isBefore(at) ? at : bar);
      } else {
        InferenceMetrics.counter(InferenceMetrics.DEAD_LETTERS + r.deadLetter().getReason()).inc();
        out.get(DEAD_LETTERS).output(r.deadLetter());
      }
    }
  }
}
