package com.cryptoml.inference.models.registry;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Which version of a registered model to serve: {@code name} (the {@code champion} alias),
 * {@code name@alias}, {@code name:7} (registry version 7) or {@code name:latest} (highest READY
 * version).
 */
public record ModelRef(String name, Kind kind, String value) implements Serializable {
  public static final String DEFAULT_ALIAS = "champion";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_\\-]{0,63}");

  /** How the version is selected. */
  public enum Kind {
    ALIAS,
    VERSION,
    LATEST
  }

  public ModelRef {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid model name '" + name + "'");
    }
    if (kind == Kind.ALIAS && (value == null || !ALIAS.matcher(value).matches())) {
      throw new IllegalArgumentException("invalid alias '" + value + "' for model " + name);
    }
    if (kind == Kind.VERSION && (value == null || !value.matches("[1-9][0-9]{0,9}"))) {
      throw new IllegalArgumentException("invalid version '" + value + "' for model " + name + " (a registry version number)");
    }
  }

  public static ModelRef alias(String name, String alias) {
    return new ModelRef(name, Kind.ALIAS, alias);
  }

  public static ModelRef version(String name, String version) {
    return new ModelRef(name, Kind.VERSION, version);
  }

  public static ModelRef latest(String name) {
    return new ModelRef(name, Kind.LATEST, null);
  }

  public static ModelRef parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    int at = s.indexOf('@');
    if (at >= 0) {
      return alias(s.substring(0, at), s.substring(at + 1));
    }
    int colon = s.lastIndexOf(':');
    if (colon >= 0) {
      String v = s.substring(colon + 1);
      return "latest".equals(v) ? latest(s.substring(0, colon)) : version(s.substring(0, colon), v);
    }
    return alias(s, DEFAULT_ALIAS);
  }

  @Override
  public String toString() {
    switch (kind) {
      case ALIAS:
        return name + "@" + value;
      case VERSION:
        return name + ":" + value;
      default:
        return name + ":latest";
    }
  }
}
