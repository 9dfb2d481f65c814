package com.cryptoml.inference.models.registry;

import java.io.Serializable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which version of a registered model to serve. Accepted forms:
 *
 * <ul>
 *   <li>short: {@code name} (the {@code champion} alias), {@code name@alias}, {@code name:7} (registry
 *       version 7), {@code name:latest} (highest READY version), {@code name:Production} (latest
 *       version in an MLflow stage);
 *   <li>MLflow's model URIs: {@code models:/NAME@ALIAS}, {@code models:/NAME/VERSION},
 *       {@code models:/NAME/STAGE} (Staging, Production, Archived, None, in any case, as MLflow
 *       reads them), {@code models:/NAME/latest}; NAME percent-encoded where it has to be
 *       ({@code models:/my%20model/1});
 *   <li>a name with spaces or separators in double quotes: {@code "my model"@champion}.
 * </ul>
 */
public record ModelRef(String name, Kind kind, String value) implements Serializable {
  public static final String DEFAULT_ALIAS = "champion";
  /** MLflow's legacy stages, as MLflow spells them. */
  public static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");
  public static final String ROLE_CHAMPION = "champion";
  public static final String ROLE_CHALLENGER = "challenger";
  public static final String ROLE_PINNED = "pinned";
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_\\-]{0,255}");
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

  /** How the version is selected. */
  public enum Kind {
    ALIAS,
    VERSION,
    LATEST,
    STAGE
  }

  public ModelRef {
    if (name == null || name.isBlank() || name.length() > 256 || name.equals(".") || name.equals("..") || name.contains("/")
        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("invalid model name '" + name + "' (not empty, no '/' or control characters)");
    }
    if (kind == Kind.ALIAS && (value == null || !ALIAS.matcher(value).matches())) {
      throw new IllegalArgumentException("invalid alias '" + value + "' for model " + name
          + " (a letter, then letters, digits, '_' or '-')");
    }
    if (kind == Kind.VERSION && (value == null || !value.matches("[1-9][0-9]{0,9}"))) {
      throw new IllegalArgumentException("invalid version '" + value + "' for model " + name + " (a registry version number)");
    }
    if (kind == Kind.STAGE) {
      value = stage(value).orElseThrow(() -> new IllegalArgumentException("invalid stage for model " + name + " (" + STAGES + ")"));
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

  public static ModelRef stage(String name, String stage) {
    return new ModelRef(name, Kind.STAGE, stage);
  }

  /** MLflow's spelling of a stage named in any case, or empty when it is not a stage. */
  public static Optional<String> stage(String text) {
    if (text == null) {
      return Optional.empty();
    }
    return STAGES.stream().filter(s -> s.equalsIgnoreCase(text.trim())).findFirst();
  }

  public static ModelRef parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty model reference");
    }
    if (s.regionMatches(true, 0, "models:/", 0, "models:/".length())) {
      return parseUri(s);
    }
    String name;
    String rest;
    if (s.startsWith("\"")) {
      int close = s.indexOf('"', 1);
      if (close < 0) {
        throw new IllegalArgumentException("unterminated quoted model name in '" + spec + "'");
      }
      name = s.substring(1, close);
      rest = s.substring(close + 1);
      if (!rest.isEmpty() && rest.charAt(0) != '@' && rest.charAt(0) != ':') {
        throw new IllegalArgumentException("'" + spec + "': a quoted name is followed by @alias, :version, :latest or :stage");
      }
    } else {
      int at = s.indexOf('@');
      int colon = s.lastIndexOf(':');
      int cut = at >= 0 ? at : colon;
      name = cut < 0 ? s : s.substring(0, cut);
      rest = cut < 0 ? "" : s.substring(cut);
    }
    if (rest.isEmpty()) {
      return alias(name, DEFAULT_ALIAS);
    }
    String value = rest.substring(1);
    if (rest.charAt(0) == '@') {
      return alias(name, value);
    }
    return selector(name, value);
  }

  /** {@code models:/NAME@ALIAS}, {@code models:/NAME/VERSION|STAGE|latest}. */
  private static ModelRef parseUri(String uri) {
    String path = uri.substring("models:/".length());
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    int slash = path.lastIndexOf('/');
    int at = path.lastIndexOf('@');
    if (at > slash && at > 0) {
      return alias(decode(path.substring(0, at), uri), path.substring(at + 1));
    }
    if (slash <= 0 || slash == path.length() - 1) {
      throw new IllegalArgumentException("'" + uri + "' is not models:/NAME@ALIAS, models:/NAME/VERSION or models:/NAME/STAGE");
    }
    return selector(decode(path.substring(0, slash), uri), path.substring(slash + 1));
  }

  /** A version number, {@code latest}, or a stage. */
  private static ModelRef selector(String name, String value) {
    if (value.equalsIgnoreCase("latest")) {
      return latest(name);
    }
    if (stage(value).isPresent()) {
      return stage(name, value);
    }
    return version(name, value);
  }

  private static String decode(String name, String uri) {
    try {
      return URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + uri + "': bad percent-encoding in the model name");
    }
  }

  /** The name as the short form writes it: quoted when it holds anything but letters, digits, '_', '.' and '-'. */
  public String quotedName() {
    return PLAIN_NAME.matcher(name).matches() ? name : "\"" + name + "\"";
  }

  /** The short form, which {@link #parse} reads back: {@code name@alias}, {@code name:7}, {@code name:latest}, {@code name:Staging}. */
  @Override
  public String toString() {
    return switch (kind) {
      case ALIAS -> quotedName() + "@" + value;
      case VERSION, STAGE -> quotedName() + ":" + value;
      case LATEST -> quotedName() + ":latest";
    };
  }

  /**
   * The part this reference plays, carried on every prediction so a consumer can keep champions by one
   * field: {@code champion} for the champion alias, {@code latest} and the Production stage (what a
   * registry calls "the" model); {@code pinned} for an explicit version; {@code challenger} for any
   * other alias or stage.
   */
  public String role() {
    return switch (kind) {
      case ALIAS -> value.equalsIgnoreCase(DEFAULT_ALIAS) ? ROLE_CHAMPION : ROLE_CHALLENGER;
      case LATEST -> ROLE_CHAMPION;
      case STAGE -> value.equals("Production") ? ROLE_CHAMPION : ROLE_CHALLENGER;
      case VERSION -> ROLE_PINNED;
    };
  }

  /** MLflow's URI for the same selection. */
  public String toUri() {
    String encoded = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return switch (kind) {
      case ALIAS -> "models:/" + encoded + "@" + value;
      case LATEST -> "models:/" + encoded + "/latest";
      default -> "models:/" + encoded + "/" + value;
    };
  }
}
