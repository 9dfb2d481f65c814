package com.cryptoml.inference.models;

/**
 * A model version the platform will not serve, with the reason. The message always names the
 * model, the registry version and what was wrong, so an operator can act on a single log line.
 */
public class ModelRefusedException extends RuntimeException {

  /** Why a model version was refused; the code is stable and travels in events and metrics. */
  public enum Reason {
    NOT_FOUND("not_found"),
    REGISTRY_UNAVAILABLE("registry_unavailable"),
    MISSING_ARTIFACT("missing_artifact"),
    UNSAFE_PATH("unsafe_path"),
    MISSING_CHECKSUM("missing_checksum"),
    CHECKSUM_MISMATCH("checksum_mismatch"),
    UNSUPPORTED_FLAVOR("unsupported_flavor"),
    INVALID_METADATA("invalid_metadata"),
    UNREADABLE_SAVED_MODEL("unreadable_saved_model"),
    SIGNATURE_MISMATCH("signature_mismatch"),
    WARMUP_FAILED("warmup_failed");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final String model;
  private final String version;
  private final Reason reason;

  public ModelRefusedException(String model, String version, Reason reason, String detail) {
    this(model, version, reason, detail, null);
  }

  public ModelRefusedException(String model, String version, Reason reason, String detail, Throwable cause) {
    super(
        "Refusing model " + model + (version == null ? "" : " version " + version) + ": "
            + reason.code() + ": " + detail,
        cause);
    this.model = model;
    this.version = version;
    this.reason = reason;
  }

  public String model() {
    return model;
  }

  /** The registry version, or null when the failure happened before a version was known. */
  public String version() {
    return version;
  }

  public Reason reason() {
    return reason;
  }
}
