package com.cryptoml.inference.models.registry;

/** The registry could not answer (unreachable, error status, malformed answer). */
public class RegistryException extends RuntimeException {
  private final boolean notFound;

  public RegistryException(String message, boolean notFound, Throwable cause) {
    super(message, cause);
    this.notFound = notFound;
  }

  public static RegistryException notFound(String message) {
    return new RegistryException(message, true, null);
  }

  public static RegistryException unavailable(String message, Throwable cause) {
    return new RegistryException(message, false, cause);
  }

  /** True when the registry answered that the model, version or alias does not exist. */
  public boolean isNotFound() {
    return notFound;
  }
}
