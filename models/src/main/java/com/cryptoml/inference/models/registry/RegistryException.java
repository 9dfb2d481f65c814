package com.cryptoml.inference.models.registry;

/**
 * The registry could not answer as asked: what was asked for does not exist ({@link #isNotFound()}),
 * the registry holds it but in a form that cannot be read ({@link #isInvalid()}: a malformed version
 * file), or the registry is unreachable, answered with an error, or is not a registry at all.
 */
public class RegistryException extends RuntimeException {
  private final boolean notFound;
  private final boolean invalid;

  public RegistryException(String message, boolean notFound, Throwable cause) {
    this(message, notFound, false, cause);
  }

  private RegistryException(String message, boolean notFound, boolean invalid, Throwable cause) {
    super(message, cause);
    this.notFound = notFound;
    this.invalid = invalid;
  }

  public static RegistryException notFound(String message) {
    return new RegistryException(message, true, false, null);
  }

  public static RegistryException unavailable(String message, Throwable cause) {
    return new RegistryException(message, false, false, cause);
  }

  /** One entry of the registry (a version's metadata) cannot be read; the rest of the registry can. */
  public static RegistryException invalid(String message, Throwable cause) {
    return new RegistryException(message, false, true, cause);
  }

  /** True when the registry answered that the model, version or alias does not exist. */
  public boolean isNotFound() {
    return notFound;
  }

  /** True when the entry exists but cannot be read. */
  public boolean isInvalid() {
    return invalid;
  }
}
