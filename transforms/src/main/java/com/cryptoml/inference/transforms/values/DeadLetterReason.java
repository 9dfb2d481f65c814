package com.cryptoml.inference.transforms.values;

/**
 * Why an input (or one model's prediction for it) was set aside. The code is stable: it is the
 * {@code reason} of dead letters and a metric label.
 */
public enum DeadLetterReason {
  // parse
  PAYLOAD_TOO_LARGE("payload_too_large", "parse"),
  INVALID_ENCODING("invalid_encoding", "parse"),
  MALFORMED_JSON("malformed_json", "parse"),
  NOT_AN_OBJECT("not_an_object", "parse"),
  MISSING_FIELD("missing_field", "parse"),
  INVALID_TYPE("invalid_type", "parse"),
  INVALID_TIMESTAMP("invalid_timestamp", "parse"),
  MISSING_KEY("missing_key", "parse"),
  KEY_MISMATCH("key_mismatch", "parse"),
  // validate
  UNKNOWN_TIMEFRAME("unknown_timeframe", "validate"),
  UNKNOWN_SYMBOL("unknown_symbol", "validate"),
  UNKNOWN_EXCHANGE("unknown_exchange", "validate"),
  NON_FINITE_VALUE("non_finite_value", "validate"),
  STALE_TIMESTAMP("stale_timestamp", "validate"),
  FUTURE_TIMESTAMP("future_timestamp", "validate"),
  EMPTY_FEATURES("empty_features", "validate"),
  MISSING_REQUIRED_FEATURES("missing_required_features", "validate"),
  // history
  DUPLICATE_BAR("duplicate_bar", "history"),
  LATE_BAR("late_bar", "history"),
  INCOMPLETE_FEATURES("incomplete_features", "history"),
  // predict
  MODEL_UNAVAILABLE("model_unavailable", "predict"),
  MODEL_ERROR("model_error", "predict"),
  TIMEOUT("timeout", "predict");

  private final String code;
  private final String stage;

  DeadLetterReason(String code, String stage) {
    this.code = code;
    this.stage = stage;
  }

  public String code() {
    return code;
  }

  public String stage() {
    return stage;
  }
}
