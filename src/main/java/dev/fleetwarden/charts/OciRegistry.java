package dev.fleetwarden.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.fleet.ChartRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helm charts in an OCI registry, read through the OCI distribution API as Helm stores them: the
 * manifest of tag {@code <version>} ({@code +} written {@code _}) names one layer of media type
 * {@value #CHART_LAYER}, the chart archive, by its sha256 digest. Registries on a loopback address
 * are spoken to over plain HTTP (as Docker does), all others over HTTPS. Anonymous and
 * authenticated pulls follow the registry's token challenge ({@code WWW-Authenticate: Bearer}); the
 * token service must be on the registry's host or allowed, and the operator's credentials for the
 * registry go only there.
 */
final class OciRegistry implements ChartSource {
  static final String CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final ChartHttp http;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  OciRegistry(ChartHttp http) {
    this.http = http;
  }

  @Override
  public Located locate(ChartRef chart) throws ChartFetchException {
    String tag = chart.version().replace('+', '_');
    String url = api(chart) + "/manifests/" + tag;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ChartHttp.Response response = authorized(chart, url, MANIFEST, MAX_MANIFEST_BYTES, body);
    if (response.status() == 404) {
      throw new ChartFetchException(
          chart, "registry has no " + chart.location() + ":" + tag + " (404); check the version");
    }
    expectOk(chart, response, "manifest of " + chart.location() + ":" + tag);
    JsonNode manifest;
    try {
      manifest = JSON.readTree(body.toByteArray());
    } catch (IOException e) {
      throw new ChartFetchException(chart, "the manifest of " + chart.location() + " is not JSON");
    }
    for (JsonNode layer : manifest.path("layers")) {
      if (CHART_LAYER.equals(layer.path("mediaType").asText())) {
        String digest = layer.path("digest").asText("");
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
          break;
        }
        return new Located(chart, digest, api(chart) + "/blobs/" + digest);
      }
    }
    throw new ChartFetchException(
        chart,
        chart.location()
            + ":"
            + tag
            + " is not a Helm chart (no sha256 layer of type "
            + CHART_LAYER
            + ")");
  }

  @Override
  public void download(Located archive, Path target) throws ChartFetchException {
    ChartRef chart = archive.chart();
    ChartHttp.Response response;
    try (OutputStream out = Files.newOutputStream(target)) {
      response = authorized(chart, archive.url(), null, HttpChartRepository.MAX_ARCHIVE_BYTES, out);
    } catch (IOException e) {
      throw new ChartFetchException(chart, "cannot write the archive to the chart cache", e);
    }
    try {
      expectOk(chart, response, "chart layer of " + chart.location());
      if (!archive.digest().equals(response.sha256())) {
        throw new ChartFetchException(
            chart,
            "the chart layer of "
                + chart.location()
                + ":"
                + chart.version()
                + " has sha256 "
                + response.sha256().substring("sha256:".length())
                + " but its manifest names "
                + archive.digest().substring("sha256:".length())
                + "; refused");
      }
    } catch (ChartFetchException e) {
      try {
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // scratch space of the cache
      }
      throw e;
    }
  }

  /** GETs a registry URL, answering one token challenge if the registry asks. */
  private ChartHttp.Response authorized(
      ChartRef chart, String url, String accept, long max, OutputStream sink)
      throws ChartFetchException {
    String origin = ChartHttp.origin(URI.create(http.mirrored(url)));
    String key = origin + " " + chart.location();
    String auth = tokens.get(key);
    if (auth == null) {
      auth = basic(chart).orElse(null);
    }
    ChartHttp.Response response = http.get(chart, url, accept, auth, origin, max, sink);
    if (response.status() != 401) {
      return response;
    }
    String challenge = response.header("WWW-Authenticate").orElse("");
    if (challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = token(chart, challenge);
      tokens.put(key, "Bearer " + token);
      return http.get(chart, url, accept, "Bearer " + token, origin, max, sink);
    }
    return response;
  }

  /** Asks the registry's token service for a pull token (with the operator's credentials). */
  private String token(ChartRef chart, String challenge) throws ChartFetchException {
    String realm = null;
    StringBuilder query = new StringBuilder();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      String name = m.group(1).toLowerCase(Locale.ROOT);
      if (name.equals("realm")) {
        realm = m.group(2);
      } else if (name.equals("service") || name.equals("scope")) {
        query
            .append(query.length() == 0 ? "?" : "&")
            .append(name)
            .append('=')
            .append(URLEncoder.encode(m.group(2), StandardCharsets.UTF_8));
      }
    }
    URI realmUri;
    try {
      realmUri = realm == null ? null : new URI(realm);
    } catch (java.net.URISyntaxException e) {
      realmUri = null;
    }
    URI registry = URI.create(http.mirrored(api(chart)));
    boolean sameHost =
        realmUri != null && ChartHttp.origin(realmUri).equals(ChartHttp.origin(registry));
    if (realmUri == null
        || !("https".equalsIgnoreCase(realmUri.getScheme())
            || ("http".equalsIgnoreCase(realmUri.getScheme()) && loopback(realmUri.getHost())))
        || !(sameHost || http.allowList().allows(realm))) {
      throw new ChartFetchException(
          chart,
          "the registry of "
              + chart.location()
              + " sends for tokens to a service that is neither on its host nor allowed by"
              + " helm.allowedRepositories; refused");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String url = realm + query;
    ChartHttp.Response response =
        http.get(
            chart,
            url,
            "application/json",
            basic(chart).orElse(null),
            ChartHttp.origin(realmUri),
            64 * 1024,
            body);
    expectOk(chart, response, "token for " + chart.location());
    try {
      JsonNode json = JSON.readTree(body.toByteArray());
      String token = json.path("token").asText(json.path("access_token").asText(""));
      if (token.isBlank()) {
        throw new ChartFetchException(chart, "the registry's token service sent no token");
      }
      return token;
    } catch (IOException e) {
      throw new ChartFetchException(chart, "the registry's token service sent no JSON");
    }
  }

  private Optional<String> basic(ChartRef chart) {
    return http.credentials()
        .forUrl(chart.location())
        .map(
            c ->
                c.token() != null
                    ? "Bearer " + c.token()
                    : "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (c.username() + ":" + c.password())
                                    .getBytes(StandardCharsets.UTF_8)));
  }

  private void expectOk(ChartRef chart, ChartHttp.Response response, String what)
      throws ChartFetchException {
    int status = response.status();
    if (status == 200) {
      return;
    }
    if (status == 401 || status == 403) {
      boolean configured = http.credentials().forUrl(chart.location()).isPresent();
      throw new ChartFetchException(
          chart,
          "the registry refused the "
              + what
              + " ("
              + status
              + ")"
              + (configured
                  ? ": check the credentials helm.credentialsFile gives for it"
                  : ": it needs credentials; add the registry to helm.credentialsFile"));
    }
    throw new ChartFetchException(chart, "the registry answered " + status + " for the " + what);
  }

  /** The registry API base of a chart: {@code http(s)://host/v2/<path>/<chart>}. */
  static String api(ChartRef chart) {
    String rest = chart.location().substring("oci://".length());
    int slash = rest.indexOf('/');
    String host = rest.substring(0, slash);
    String hostOnly = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host;
    int colon = hostOnly.startsWith("[") ? -1 : hostOnly.indexOf(':');
    String name = colon < 0 ? hostOnly : hostOnly.substring(0, colon);
    return (loopback(name) ? "http://" : "https://") + host + "/v2" + rest.substring(slash);
  }

  static boolean loopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
  }
}
