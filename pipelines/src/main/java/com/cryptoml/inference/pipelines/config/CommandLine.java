package com.cryptoml.inference.pipelines.config;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Command lines read by Beam's options factory, its errors put in a command line's words: "unknown
 * option --bootstrapServer (did you mean --bootstrapServers?)" instead of "Class interface
 * ...StreamOptions missing a property named 'bootstrapServer'".
 */
public final class CommandLine {
  private static final Pattern MISSING = Pattern.compile("missing a property named '([^']+)'");

  private CommandLine() {}

  /** Options of {@code type} from a command line; a {@link ConfigLoader.ConfigException} in plain words when Beam refuses it. */
  public static <T extends PipelineOptions> T parse(String[] args, Class<T> type) {
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    } catch (IllegalArgumentException e) {
      throw new ConfigLoader.ConfigException(java.util.List.of(plain(e)));
    }
  }

  static String plain(IllegalArgumentException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    Matcher m = MISSING.matcher(message);
    if (m.find()) {
      String name = m.group(1);
      String best = Suggestions.closest(name, knownOptions());
      return "unknown option --" + name + (best != null ? " (did you mean --" + best + "?)" : "");
    }
    String first = message.lines().findFirst().orElse(message).strip();
    return first.replaceAll("Class interface [\\w.$]+ ", "").replaceAll("interface [\\w.$]+\\.", "");
  }

  /** Every option of the registered options interfaces. */
  static Set<String> knownOptions() {
    Set<String> out = new TreeSet<>();
    for (Class<? extends PipelineOptions> iface : PipelineOptionsFactory.getRegisteredOptions()) {
      for (Method m : iface.getMethods()) {
        String n = m.getName();
        if (m.getParameterCount() == 0 && n.length() > 3 && n.startsWith("get")) {
          out.add(Introspector.decapitalize(n.substring(3)));
        } else if (m.getParameterCount() == 0 && n.length() > 2 && n.startsWith("is")) {
          out.add(Introspector.decapitalize(n.substring(2)));
        }
      }
    }
    return out;
  }
}
