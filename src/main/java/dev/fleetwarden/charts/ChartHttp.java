package dev.fleetwarden.charts;

import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.ChartRef;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP rules of chart fetching, shared by chart repositories and registries. The client follows
 * no redirect itself: this class follows at most {@value #MAX_REDIRECTS}, each only to an http(s)
 * URL the operator's allow-list allows. A configured credential is sent only to URLs under its
 * prefix (so a redirect elsewhere never carries it), a registry token only to the host that asked
 * for it. Every request has a deadline for the whole exchange, body included, and every body a size
 * cap checked while it streams. Nothing here logs or quotes a header or a response body.
 *
 * <p>A mirror maps a repository URL prefix to the base URL it is actually served from (the example
 * fleet's repository, served on 127.0.0.1 by the embedded defaults): the allow-list, the lock and
 * the cache keep the repository's own URL.
 */
final class ChartHttp {
  static final int MAX_REDIRECTS = 5;

  private final HttpClient client;
  private final ChartAllowList allowList;
  private final RepositoryCredentials credentials;
  private final Map<String, String> mirrors;
  private final Duration timeout;

  /** An answer that is not a redirect: status, headers and, for 200, the body's size and sha256. */
  record Response(int status, HttpHeaders headers, String url, long size, String sha256) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  ChartHttp(
      ChartAllowList allowList,
      RepositoryCredentials credentials,
      Map<String, String> mirrors,
      Duration timeout) {
    this.allowList = allowList;
    this.credentials = credentials;
    this.mirrors = Map.copyOf(mirrors);
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
  }

  ChartAllowList allowList() {
    return allowList;
  }

  RepositoryCredentials credentials() {
    return credentials;
  }

  /**
   * GETs a URL, following allowed redirects; a 200 body goes to {@code sink} (at most {@code
   * maxBytes}), other bodies are discarded.
   *
   * @param authorization an Authorization header for {@code origin} only (null: the credentials
   *     file's, by URL prefix)
   * @param origin {@code host:port} of a registry: its requests may carry {@code authorization},
   *     and it may redirect within itself (null: a chart repository, whose redirects must all be
   *     allowed)
   */
  Response get(
      ChartRef chart,
      String url,
      String accept,
      String authorization,
      String origin,
      long maxBytes,
      OutputStream sink)
      throws ChartFetchException {
    String logical = url;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      URI actual = URI.create(mirrored(logical));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(actual).timeout(timeout).GET().header("User-Agent", "fleetwarden");
      if (accept != null) {
        request.header("Accept", accept);
      }
      if (origin != null) {
        if (authorization != null && origin.equals(origin(actual))) {
          request.header("Authorization", authorization);
        }
      } else {
        credentials.authorization(logical).ifPresent(a -> request.header("Authorization", a));
      }
      CappedBody body = new CappedBody(sink, maxBytes);
      HttpResponse<Long> response = send(chart, logical, request.build(), body);
      int status = response.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        String from = logical;
        String location =
            response
                .headers()
                .firstValue("Location")
                .orElseThrow(
                    () ->
                        new ChartFetchException(
                            chart, where(from) + " answered a redirect without a location"));
        logical = redirectTarget(chart, logical, actual, location, origin);
        continue;
      }
      return new Response(
          status,
          response.headers(),
          logical,
          status == 200 ? response.body() : 0,
          status == 200 ? body.sha256() : null);
    }
    throw new ChartFetchException(
        chart, where(url) + " redirected more than " + MAX_REDIRECTS + " times; refused");
  }

  /** The logical URL a redirect leads to, refused unless http(s) and allowed. */
  private String redirectTarget(
      ChartRef chart, String from, URI actual, String location, String origin)
      throws ChartFetchException {
    URI next;
    try {
      next = actual.resolve(new URI(location.strip()));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw new ChartFetchException(
          chart, where(from) + " redirected to a location that is not a URL; refused");
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    String target = unmirrored(next.toString());
    boolean allowed = allowList.allows(target) || (origin != null && origin.equals(origin(next)));
    if (!(scheme.equals("https") || scheme.equals("http")) || !allowed) {
      throw new ChartFetchException(
          chart,
          where(from)
              + " redirected to "
              + shown(next)
              + ", which helm.allowedRepositories does not allow; refused (allow that location"
              + " too if you trust it)");
    }
    return target;
  }

  private HttpResponse<Long> send(
      ChartRef chart, String logical, HttpRequest request, CappedBody body)
      throws ChartFetchException {
    CompletableFuture<HttpResponse<Long>> future =
        client.sendAsync(
            request,
            info -> info.statusCode() == 200 ? body : HttpResponse.BodySubscribers.replacing(0L));
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ChartFetchException(
          chart,
          where(logical)
              + " did not answer within "
              + timeout.toSeconds()
              + " s (helm.fetchTimeoutSeconds); check the network or the repository");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new ChartFetchException(chart, "interrupted while fetching from " + where(logical));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      TooLargeException large = null;
      for (Throwable t = cause; t != null && large == null; t = t.getCause()) {
        large = t instanceof TooLargeException l ? l : null;
      }
      if (large != null) {
        throw new ChartFetchException(
            chart,
            where(logical)
                + " sent more than "
                + large.max
                + " bytes; refused (a chart repository's index and archives stay below that)");
      }
      throw new ChartFetchException(
          chart,
          "cannot reach "
              + where(logical)
              + ": "
              + (cause == null ? e.toString() : cause.getClass().getSimpleName())
              + "; check that the repository is up and reachable from here",
          cause);
    }
  }

  /** The URL a logical URL is fetched from: through its mirror, if one is configured. */
  String mirrored(String logical) {
    for (Map.Entry<String, String> m : mirrors.entrySet()) {
      String prefix = m.getKey();
      if (logical.equals(prefix) || logical.startsWith(prefix + "/")) {
        return m.getValue() + logical.substring(prefix.length());
      }
    }
    return logical;
  }

  private String unmirrored(String actual) {
    for (Map.Entry<String, String> m : mirrors.entrySet()) {
      String served = m.getValue();
      if (actual.equals(served) || actual.startsWith(served + "/")) {
        return m.getKey() + actual.substring(served.length());
      }
    }
    return actual;
  }

  /** {@code host:port} of a URL (the default port of its scheme when it names none). */
  static String origin(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if (port < 0) {
      port = "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }
    return host + ":" + port;
  }

  /** A URL as error messages show it: scheme, host, port and path, never a query. */
  static String where(String url) {
    try {
      return shown(new URI(url));
    } catch (java.net.URISyntaxException e) {
      return "the repository";
    }
  }

  private static String shown(URI uri) {
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.length() > 200) {
      path = path.substring(0, 200) + "…";
    }
    return uri.getScheme() + "://" + uri.getHost() + port + path;
  }

  /** A body over its cap. */
  private static final class TooLargeException extends IOException {
    final long max;

    TooLargeException(long max) {
      super("body larger than " + max + " bytes");
      this.max = max;
    }
  }

  /** Streams a body into a sink, hashing it, and stops it when it passes its cap. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<Long> {
    private final OutputStream sink;
    private final long max;
    private final MessageDigest digest;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long size;

    CappedBody(OutputStream sink, long max) {
      this.sink = sink;
      this.max = max;
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }

    String sha256() {
      return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public CompletionStage<Long> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      try {
        for (ByteBuffer b : buffers) {
          int n = b.remaining();
          size += n;
          if (size > max) {
            subscription.cancel();
            result.completeExceptionally(new TooLargeException(max));
            return;
          }
          byte[] bytes = new byte[n];
          b.get(bytes);
          digest.update(bytes);
          sink.write(bytes);
        }
      } catch (IOException e) {
        subscription.cancel();
        result.completeExceptionally(new UncheckedIOException(e));
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(size);
    }
  }
}
