package com.cryptoml.inference.models.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A store in a local directory. Every path is checked on the file system, not only as text: it must
 * lie under the root, and neither it nor any directory between it and the root may be a symbolic
 * link. Listings never descend into a linked directory; a copy that meets a link refuses it.
 */
final class LocalStoreFiles implements StoreFiles {
  private final Path root;

  private LocalStoreFiles(Path root) {
    this.root = root;
  }

  /**
   * A local path, or a {@code file:} URI (percent-encoded or not), as an absolute normalised
   * directory; whether it exists is for the caller to check.
   */
  static LocalStoreFiles at(String location) {
    return new LocalStoreFiles(toPath(location));
  }

  static Path toPath(String location) {
    String s = location.trim();
    if (s.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        return Paths.get(new URI(s)).toAbsolutePath().normalize();
      } catch (URISyntaxException | IllegalArgumentException e) {
        // Not a valid URI (a raw space, say): the rest is the path as written.
        String rest = s.substring(5);
        if (rest.startsWith("//")) {
          int slash = rest.indexOf('/', 2);
          rest = slash < 0 ? "/" : rest.substring(slash); // drop an authority such as localhost
        }
        return Paths.get(rest).toAbsolutePath().normalize();
      }
    }
    return Paths.get(s).toAbsolutePath().normalize();
  }

  @Override
  public String root() {
    return root.toString();
  }

  /** {@code file} as a path under the root, with every step below the root checked for links. */
  private Path confined(String file) throws IOException {
    Path p = toPath(file);
    if (!p.startsWith(root)) {
      throw new UnsafePathException(file + " is outside the store " + root);
    }
    if (p.equals(root)) {
      return p;
    }
    Path at = root;
    for (Path step : root.relativize(p)) {
      at = at.resolve(step);
      if (Files.isSymbolicLink(at)) {
        throw new UnsafePathException(root.relativize(at) + " in the store " + root + " is a symbolic link (to "
            + Files.readSymbolicLink(at) + "); links are not followed");
      }
    }
    return p;
  }

  @Override
  public List<String> match(String glob) throws IOException {
    String[] segments = glob.split("/", -1);
    StringBuilder literal = new StringBuilder();
    int first = 0;
    for (; first < segments.length; first++) {
      if (hasMeta(segments[first])) {
        break;
      }
      if (first > 0) {
        literal.append('/');
      }
      literal.append(unescape(segments[first]));
    }
    Path base = confined(literal.length() == 0 ? "/" : literal.toString());
    List<String> out = new ArrayList<>();
    if (first == segments.length) { // no wildcard: the file itself
      if (Files.isRegularFile(base, LinkOption.NOFOLLOW_LINKS)) {
        out.add(base.toString());
      }
      return out;
    }
    if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    boolean deep = false;
    for (int i = first; i < segments.length; i++) {
      deep |= segments[i].contains("**");
    }
    int depth = deep ? Integer.MAX_VALUE : segments.length - first;
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    try (Stream<Path> walk = Files.walk(base, depth)) { // links are not followed
      walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && matcher.matches(p))
          .forEach(p -> out.add(p.toString()));
    }
    out.sort(String::compareTo);
    return out;
  }

  @Override
  public String readString(String file) throws IOException {
    Path p = confined(file);
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes(MAX_TEXT_BYTES + 1);
      if (bytes.length > MAX_TEXT_BYTES) {
        throw new IOException(file + " is larger than " + MAX_TEXT_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  @Override
  public int copyTree(String dir, Path target) throws IOException {
    Path from = confined(dir);
    if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(p)) {
          throw new UnsafePathException(from.relativize(p) + " in artifact " + from + " is a symbolic link (to "
              + Files.readSymbolicLink(p) + "); links are not followed");
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          files.add(p);
        }
      }
    }
    for (Path p : files) { // checked first: a refused artifact leaves nothing half-copied behind
      Path to = SafePaths.resolveInside(target, from.relativize(p).toString().replace('\\', '/'));
      Files.createDirectories(to.getParent());
      Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    }
    return files.size();
  }

  private static boolean hasMeta(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '\\') {
        i++;
      } else if ("*?[]{}".indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static String unescape(String segment) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '\\' && i + 1 < segment.length()) {
        c = segment.charAt(++i);
      }
      b.append(c);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
