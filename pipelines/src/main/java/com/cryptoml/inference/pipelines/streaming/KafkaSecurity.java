package com.cryptoml.inference.pipelines.streaming;

import com.cryptoml.inference.pipelines.io.BeamFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka client settings beyond the bootstrap servers (SSL, SASL), read from a properties file whose
 * secret values are references, never literals: {@code ${env:NAME}} or {@code ${file:PATH}}. Resolved
 * values are handed to the clients only; {@link #redacted} is what may be printed.
 */
public final class KafkaSecurity {
  private static final Pattern REF = Pattern.compile("\\$\\{(env|file):([^}]+)}");

  private KafkaSecurity() {}

  public static Map<String, Object> load(String file) {
    return load(file, System::getenv);
  }

  static Map<String, Object> load(String file, Function<String, String> env) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (file == null || file.isBlank()) {
      return out;
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(BeamFiles.readString(file)));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read Kafka properties " + file + ": " + e.getMessage(), e);
    }
    for (String name : p.stringPropertyNames()) {
      String value = p.getProperty(name);
      if (holdsSecret(name) && !REF.matcher(value).find()) {
        // A literal secret would sit in a file that gets copied, committed and printed.
        throw new IllegalArgumentException("Kafka setting " + name + " in " + file
            + " holds a secret literally; refer to it as ${env:NAME} or ${file:PATH}");
      }
      out.put(name, resolve(name, value, env));
    }
    return out;
  }

  static String resolve(String name, String value, Function<String, String> env) {
    Matcher m = REF.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String resolved;
      if (m.group(1).equals("env")) {
        resolved = env.apply(m.group(2));
        if (resolved == null) {
          throw new IllegalArgumentException("Kafka setting " + name + " refers to environment variable " + m.group(2) + ", which is not set");
        }
      } else {
        try {
          resolved = Files.readString(Paths.get(m.group(2)), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
          throw new IllegalArgumentException("Kafka setting " + name + " refers to file " + m.group(2) + ", which cannot be read");
        }
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Settings whose values are secrets (passwords, JAAS configurations, tokens). */
  static boolean holdsSecret(String name) {
    return name.contains("password") || name.contains("jaas") || name.contains("secret") || name.contains("token");
  }

  /** The settings with every value that may hold a secret replaced, for logs. */
  public static Map<String, Object> redacted(Map<String, Object> settings) {
    Map<String, Object> out = new LinkedHashMap<>();
    settings.forEach((k, v) -> out.put(k, k.contains("password") || k.contains("jaas") || k.contains("secret")
        || k.contains("token") || k.contains("key") ? "****" : v));
    return out;
  }
}
