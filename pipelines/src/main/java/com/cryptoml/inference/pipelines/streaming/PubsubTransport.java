package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.transforms.values.Schemas;
import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.values.PredictionEvent;
import com.cryptoml.inference.transforms.values.RawEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The GCP alternative to Kafka, through the same transforms: one subscription per enabled timeframe
 * in, topics out. The message attribute {@code key} plays the Kafka key's role; predictions carry
 * {@code key}, {@code model_id}, {@code model_version} and {@code model_role} attributes. Pub/Sub acknowledges a message
 * once Dataflow has durably processed it (at-least-once; Dataflow deduplicates redeliveries).
 */
public final class PubsubTransport {
  private PubsubTransport() {}

  /**
   * @param timestampAttribute the attribute holding each message's bar close time (its event time), or
   *     null for the publish time
   */
  public static PTransform<PBegin, PCollection<RawEvent>> source(List<String> subscriptions, String timestampAttribute) {
    return new PTransform<>() {
      @Override
      public PCollection<RawEvent> expand(PBegin begin) {
        PCollectionList<RawEvent> all = PCollectionList.empty(begin.getPipeline());
        for (String subscription : subscriptions) {
          String name = subscription.substring(subscription.lastIndexOf('/') + 1);
          PubsubIO.Read<PubsubMessage> read = PubsubIO.readMessagesWithAttributesAndMessageId().fromSubscription(subscription);
          if (timestampAttribute != null) {
            read = read.withTimestampAttribute(timestampAttribute);
          }
          all = all.and(begin
              .apply("Read " + name, read)
              .apply("ToRawEvents " + name, MapElements.into(TypeDescriptor.of(RawEvent.class))
                  .via((PubsubMessage m) -> RawEvent.of(m.getPayload(), "pubsub:" + name + "@" + m.getMessageId(),
                      m.getAttribute("key"))))
              .setCoder(Schemas.coder(begin.getPipeline(), RawEvent.class)));
        }
        return all.apply("AllTimeframes", Flatten.pCollections());
      }
    };
  }

  public static PTransform<PCollection<PredictionEvent>, PDone> predictions(String topic) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<PredictionEvent> events) {
        return events.apply("ToMessages", MapElements.into(TypeDescriptor.of(PubsubMessage.class))
                .via((PredictionEvent e) -> new PubsubMessage(EventJson.prediction(e).getBytes(StandardCharsets.UTF_8), Map.of(
                    "key", e.getSymbol() + ":" + e.getExchange() + ":" + e.getTimeframe(),
                    "model_id", e.getModelId(), "model_version", e.getModelVersion(), "model_role", e.getModelRole(), "event_type", PredictionEvent.EVENT_TYPE))))
            .apply("WritePubsub", PubsubIO.writeMessages().to(topic));
      }
    };
  }

  public static PTransform<PCollection<KV<String, String>>, PDone> json(String topic) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<KV<String, String>> events) {
        return events.apply("ToMessages", MapElements.into(TypeDescriptor.of(PubsubMessage.class))
                .via((KV<String, String> e) -> new PubsubMessage(e.getValue().getBytes(StandardCharsets.UTF_8),
                    e.getKey() == null ? Map.of() : Map.of("key", e.getKey()))))
            .apply("WritePubsub", PubsubIO.writeMessages().to(topic));
      }
    };
  }
}
