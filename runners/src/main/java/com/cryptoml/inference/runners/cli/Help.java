package com.cryptoml.inference.runners.cli;

import com.cryptoml.inference.transforms.config.InferenceOptions;
import com.cryptoml.inference.transforms.config.Setting;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What {@code ./inference --help} and {@code ./inference COMMAND --help} print: the commands, or one
 * command's options grouped by the interface that declares them, each with its default and what it
 * does, read from the options interfaces themselves (so help and code cannot disagree).
 */
public final class Help {
  private static final int WIDTH = 100;

  private Help() {}

  public static String overview(String program, List<Command> commands) {
    StringBuilder out = new StringBuilder("usage: " + program + " COMMAND [--option=value ...]\n\ncommands:\n");
    int pad = commands.stream().mapToInt(c -> c.name().length()).max().orElse(0) + 2;
    for (Command c : commands) {
      out.append("  ").append(String.format("%-" + pad + "s", c.name())).append(c.summary()).append('\n');
    }
    out.append("\n").append(program).append(" COMMAND --help lists a command's options. Options may also come from an\n")
        .append("environment profile (--environment=NAME) or a file (--config=FILE); see docs/configuration.md.\n");
    return out.toString();
  }

  public static String command(String program, Command c) {
    StringBuilder out = new StringBuilder();
    out.append("usage: ").append(program).append(' ').append(c.name()).append(" [--option=value ...]\n\n")
        .append(c.summary()).append("\n\nexample:\n  ").append(c.example()).append('\n');
    for (Class<? extends PipelineOptions> group : c.options()) {
      List<Method> getters = getters(group);
      if (getters.isEmpty()) {
        continue;
      }
      out.append('\n').append(title(group)).append(":\n");
      for (Method m : getters) {
        out.append(line(m));
      }
    }
    out.append("\ngeneral:\n  --help          this text\n  --debug         stack traces with errors\n")
        .append("  Beam's runner options (--runner, --project, --region, --tempLocation, ...) are accepted too.\n");
    return out.toString();
  }

  private static String title(Class<?> group) {
    Description d = group.getAnnotation(Description.class);
    return (d != null ? d.value() : group.getSimpleName().replace("Options", "")) + " options";
  }

  /** The getters an interface itself declares, with a description, by option name. */
  static List<Method> getters(Class<?> iface) {
    List<Method> out = new ArrayList<>();
    for (Method m : iface.getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && m.getAnnotation(Description.class) != null
          && (m.getName().startsWith("get") || m.getName().startsWith("is"))) {
        out.add(m);
      }
    }
    out.sort(Comparator.comparing(Help::option));
    if (iface == InferenceOptions.class) {
      out.sort(Comparator.comparing((Method m) -> m.getAnnotation(Setting.class) == null ? "" : m.getAnnotation(Setting.class).key()));
    }
    return out;
  }

  static String option(Method getter) {
    String n = getter.getName();
    return Introspector.decapitalize(n.startsWith("is") ? n.substring(2) : n.substring(3));
  }

  private static String line(Method m) {
    String name = "--" + option(m);
    Setting s = m.getAnnotation(Setting.class);
    String dflt = s != null ? s.defaultValue() : defaultOf(m);
    String text = m.getAnnotation(Description.class).value();
    if (s != null) {
      text = text + " [" + s.key() + "; " + s.allowed() + "]";
    }
    if (dflt != null && !dflt.isEmpty()) {
      text = text + " (default " + dflt + ")";
    }
    StringBuilder out = new StringBuilder("  ").append(name).append('\n');
    wrap(text, "      ", out);
    return out.toString();
  }

  private static String defaultOf(Method m) {
    for (var a : m.getAnnotations()) {
      if (a instanceof Default.String d) {
        return d.value();
      } else if (a instanceof Default.Integer d) {
        return Integer.toString(d.value());
      } else if (a instanceof Default.Long d) {
        return Long.toString(d.value());
      } else if (a instanceof Default.Boolean d) {
        return Boolean.toString(d.value());
      } else if (a instanceof Default.Double d) {
        return Double.toString(d.value());
      } else if (a instanceof Default.Enum d) {
        return d.value();
      }
    }
    return null;
  }

  private static void wrap(String text, String indent, StringBuilder out) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : Arrays.asList(text.split("\\s+"))) {
      if (line.length() + word.length() + 1 > WIDTH && line.length() > indent.length()) {
        out.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    out.append(line).append('\n');
  }
}
