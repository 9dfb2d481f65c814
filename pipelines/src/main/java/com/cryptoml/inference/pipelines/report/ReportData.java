package com.cryptoml.inference.pipelines.report;

import com.cryptoml.inference.transforms.quality.FeatureDriftResult;
import com.cryptoml.inference.transforms.quality.ModelAccuracy;
import java.util.List;
import java.util.Map;

/**
 * Everything a backfill report shows, gathered once the backfill's data is complete.
 *
 * @param mix predictions per model version, day and class
 * @param latency model calls per latency bucket, in bucket order
 */
public record ReportData(String requestId, String start, String end, List<String> timeframes, Map<String, String> models,
    long predictions, List<MixRow> mix, List<ModelAccuracy> accuracy, List<FeatureDriftResult> drift, double driftThreshold,
    List<LatencyBucket> latency, String generatedAt) {

  /** One model version's predictions on one day. */
  public record MixRow(String model, String day, long shortCalls, long neutralCalls, long longCalls) {}

  public record LatencyBucket(String bucket, long count) {}
}
