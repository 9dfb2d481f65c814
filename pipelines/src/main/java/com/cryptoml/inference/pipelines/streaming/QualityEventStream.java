package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.transforms.events.EventJson;
import com.cryptoml.inference.transforms.events.QualityEvents;
import com.cryptoml.inference.transforms.quality.FeatureDriftResult;
import com.cryptoml.inference.transforms.quality.ModelAccuracy;
import com.cryptoml.inference.transforms.quality.PredictionMix;
import com.cryptoml.inference.transforms.quality.Quality;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * A stream's quality results as events for the monitoring topic, keyed by model id: a
 * {@code feature_drift} event for each feature above the threshold in a window, a {@code
 * prediction_mix} event per model version and window, a {@code model_accuracy} event per model version
 * every {@code metrics_interval}.
 */
final class QualityEventStream {
  private QualityEventStream() {}

  static PCollection<KV<String, String>> of(Quality.Result quality, EventJson.Envelope env) {
    PCollection<KV<String, String>> drift = quality.featureDrift()
        .apply("FeatureDriftEvents", FlatMapElements.into(kvs()) // only the features above the threshold
            .via((FeatureDriftResult r) -> r.drifted()
                ? List.of(KV.of(r.getModelId(), QualityEvents.featureDrift(r, env, System.currentTimeMillis()))) : List.of()));
    PCollection<KV<String, String>> mix = quality.predictionMix()
        .apply("PredictionMixEvents", MapElements.into(kvs())
            .via((PredictionMix m) -> KV.of(m.getModelId(), QualityEvents.predictionMix(m, env, System.currentTimeMillis()))));
    PCollection<KV<String, String>> accuracy = quality.accuracy()
        .apply("AccuracyEvents", MapElements.into(kvs())
            .via((ModelAccuracy a) -> KV.of(a.getModelId(), QualityEvents.modelAccuracy(a, env, System.currentTimeMillis()))));
    KvCoder<String, String> coder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    // Each source has its own windowing (drift windows, the accuracy trigger); the sink needs one, and
    // no grouping follows, so the trigger only has to be the same.
    return PCollectionList.of(global("Drift", drift.setCoder(coder))).and(global("Mix", mix.setCoder(coder)))
        .and(global("Accuracy", accuracy.setCoder(coder)))
        .apply("QualityEvents", Flatten.pCollections());
  }

  private static PCollection<KV<String, String>> global(String name, PCollection<KV<String, String>> events) {
    return events.apply("Rewindow" + name, Window.<KV<String, String>>into(new GlobalWindows())
        .triggering(DefaultTrigger.of()).withAllowedLateness(Duration.ZERO).discardingFiredPanes());
  }

  private static org.apache.beam.sdk.values.TypeDescriptor<KV<String, String>> kvs() {
    return TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings());
  }
}
