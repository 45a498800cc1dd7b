package dev.fleetwarden.fleet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chart repositories and registries the operator allows ({@code helm.allowedRepositories}): URL
 * prefixes such as {@code https://kubernetes.github.io/ingress-nginx} or {@code
 * oci://ghcr.io/myorg/charts/}. A URL is allowed when it has the scheme, host and port of a prefix
 * and its path is the prefix's path or lies below it (a path prefix ends at a {@code /}: {@code
 * https://charts.example.org/team} does not allow {@code https://charts.example.org/team-b}). URLs
 * carrying user information, or whose path leaves its prefix through {@code ..}, are never allowed.
 * Pure.
 */
public record ChartAllowList(List<String> prefixes) {
  /** Nothing is allowed: every remote chart is refused. */
  public static final ChartAllowList NONE = new ChartAllowList(List.of());

  public ChartAllowList {
    prefixes = List.copyOf(prefixes);
  }

  /**
   * Parses the comma-separated setting.
   *
   * @throws IllegalArgumentException naming the entry that is not an http(s):// or oci:// URL
   */
  public static ChartAllowList parse(String commaSeparated) {
    List<String> out = new ArrayList<>();
    if (commaSeparated != null) {
      for (String raw : commaSeparated.split(",")) {
        String p = raw.strip();
        if (p.isEmpty()) {
          continue;
        }
        if (parsed(p) == null || p.contains("?") || p.contains("#")) {
          throw new IllegalArgumentException(
              "helm.allowedRepositories entry '"
                  + p
                  + "' is not a repository URL; use https://HOST/PATH, http://HOST/PATH or"
                  + " oci://HOST/PATH, without user, query or fragment");
        }
        out.add(p);
      }
    }
    return new ChartAllowList(out);
  }

  /** This list and one more prefix. */
  public ChartAllowList plus(String prefix) {
    List<String> more = new ArrayList<>(prefixes);
    more.add(prefix);
    return new ChartAllowList(more);
  }

  public boolean isEmpty() {
    return prefixes.isEmpty();
  }

  /** Whether a repository, registry or download URL is allowed. */
  public boolean allows(String url) {
    Parts u = parsed(url);
    if (u == null) {
      return false;
    }
    for (String prefix : prefixes) {
      Parts p = parsed(prefix);
      if (p != null
          && p.scheme.equals(u.scheme)
          && p.host.equals(u.host)
          && p.port == u.port
          && under(u.path, p.path)) {
        return true;
      }
    }
    return false;
  }

  private static boolean under(String path, String prefix) {
    String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return p.isEmpty() || path.equals(p) || path.startsWith(p + "/");
  }

  private record Parts(String scheme, String host, int port, String path) {}

  /** Scheme, host, port and normalized path of a URL; null when it may never be allowed. */
  private static Parts parsed(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") && !scheme.equals("oci")) {
      return null;
    }
    if (uri.getRawUserInfo() != null || uri.getHost() == null || uri.getHost().isEmpty()) {
      return null;
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return null;
      }
    }
    if (path.contains("//") || path.contains("\\")) {
      return null;
    }
    int port = uri.getPort();
    if (port < 0) {
      port = scheme.equals("http") ? 80 : 443;
    }
    return new Parts(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, path);
  }
}
