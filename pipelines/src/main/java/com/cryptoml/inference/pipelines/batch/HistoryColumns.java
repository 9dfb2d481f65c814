package com.cryptoml.inference.pipelines.batch;

import java.util.List;

/**
 * The columns a feature history file must have: the feature update's fields, and the features
 * either as one column per feature (any numeric column not named here) or as a {@code features}
 * map column. {@code event_id} and {@code feature_set_version} are optional.
 */
public final class HistoryColumns {
  public static final List<String> REQUIRED = List.of("timestamp", "symbol", "exchange", "timeframe");
  public static final List<String> METADATA = List.of("event_id", "timestamp", "service", "environment", "event_type",
      "symbol", "exchange", "timeframe", "feature_set_version");
  public static final String FEATURES_MAP = "features";

  private HistoryColumns() {}
}
