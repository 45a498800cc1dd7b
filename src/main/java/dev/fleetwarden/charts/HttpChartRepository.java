package dev.fleetwarden.charts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetwarden.fleet.ChartRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A Helm chart repository over HTTP(S): {@code <repository>/index.yaml} lists every version of
 * every chart with its archive's URL and sha256 digest; the archive is downloaded from there. The
 * index is read as a stream (real indexes are megabytes) and kept for a minute, so a batch of
 * charts from one repository reads it once.
 */
final class HttpChartRepository implements ChartSource {
  /** Largest index read. */
  static final long MAX_INDEX_BYTES = 32L * 1024 * 1024;

  /** Largest chart archive downloaded. */
  static final long MAX_ARCHIVE_BYTES = 20L * 1024 * 1024;

  private static final long INDEX_MEMO_NANOS = 60_000_000_000L;
  private static final ObjectMapper INDEX = new ObjectMapper(indexFactory());

  private final ChartHttp http;
  private final Map<String, Memo> indexes = new ConcurrentHashMap<>();

  private record Memo(byte[] bytes, long at) {}

  HttpChartRepository(ChartHttp http) {
    this.http = http;
  }

  @Override
  public Located locate(ChartRef chart) throws ChartFetchException {
    byte[] index = index(chart);
    JsonNode entry = entry(chart, index);
    String digest = entry.path("digest").asText("").toLowerCase(Locale.ROOT);
    if (digest.startsWith("sha256:")) {
      digest = digest.substring("sha256:".length());
    }
    if (!digest.matches("[0-9a-f]{64}")) {
      throw new ChartFetchException(
          chart,
          "the index of "
              + chart.repository()
              + " gives no sha256 digest for "
              + chart.archiveName()
              + "; fleetwarden renders only archives it can verify, so vendor this chart instead");
    }
    JsonNode urls = entry.path("urls");
    String url = urls.isArray() && urls.size() > 0 ? urls.get(0).asText("") : "";
    if (url.isBlank()) {
      throw new ChartFetchException(
          chart, "the index of " + chart.repository() + " gives no URL for " + chart.archiveName());
    }
    URI archive;
    try {
      archive = URI.create(chart.repository() + "/").resolve(new URI(url.strip()));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw new ChartFetchException(
          chart, "the index of " + chart.repository() + " gives an invalid URL for the archive");
    }
    String scheme = archive.getScheme() == null ? "" : archive.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new ChartFetchException(
          chart, "the index of " + chart.repository() + " points the archive at a non-HTTP URL");
    }
    return new Located(chart, "sha256:" + digest, archive.toString());
  }

  @Override
  public void download(Located archive, Path target) throws ChartFetchException {
    ChartRef chart = archive.chart();
    if (!http.allowList().allows(archive.url())) {
      throw new ChartFetchException(
          chart,
          "the index of "
              + chart.repository()
              + " places "
              + chart.archiveName()
              + " at "
              + ChartHttp.where(archive.url())
              + ", which helm.allowedRepositories does not allow; refused (allow that location"
              + " too if you trust it)");
    }
    ChartHttp.Response response;
    try (OutputStream out = Files.newOutputStream(target)) {
      response = http.get(chart, archive.url(), null, null, null, MAX_ARCHIVE_BYTES, out);
    } catch (IOException e) {
      throw new ChartFetchException(chart, "cannot write the archive to the chart cache", e);
    }
    try {
      check(chart, response, archive.url(), "archive " + chart.archiveName());
      if (!archive.digest().equals(response.sha256())) {
        throw new ChartFetchException(
            chart,
            chart.archiveName()
                + " from "
                + chart.repository()
                + " has sha256 "
                + response.sha256().substring("sha256:".length())
                + " but the repository's index gives "
                + archive.digest().substring("sha256:".length())
                + "; refused (a tampered archive or a stale index: the repository must fix it)");
      }
    } catch (ChartFetchException e) {
      delete(target);
      throw e;
    }
  }

  private byte[] index(ChartRef chart) throws ChartFetchException {
    Memo memo = indexes.get(chart.repository());
    if (memo != null && System.nanoTime() - memo.at() < INDEX_MEMO_NANOS) {
      return memo.bytes();
    }
    String url = chart.repository() + "/index.yaml";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChartHttp.Response response = http.get(chart, url, null, null, null, MAX_INDEX_BYTES, out);
    check(chart, response, url, "index");
    byte[] bytes = out.toByteArray();
    indexes.put(chart.repository(), new Memo(bytes, System.nanoTime()));
    return bytes;
  }

  private void check(ChartRef chart, ChartHttp.Response response, String url, String what)
      throws ChartFetchException {
    int status = response.status();
    if (status == 200) {
      return;
    }
    String where = ChartHttp.where(url);
    if (status == 401 || status == 403) {
      boolean sent = http.credentials().authorization(url).isPresent();
      throw new ChartFetchException(
          chart,
          where
              + " answered "
              + status
              + (sent
                  ? ": it refused the credentials of helm.credentialsFile for it; check them"
                  : ": it needs credentials; add the repository to helm.credentialsFile"));
    }
    if (status == 404) {
      throw new ChartFetchException(
          chart,
          "no "
              + what
              + " at "
              + where
              + " (404); check the repository URL"
              + (what.equals("index") ? " (the folder holding index.yaml)" : ""));
    }
    throw new ChartFetchException(chart, where + " answered " + status + " for the " + what);
  }

  /** The index entry of the exact version: same text, or the same version with or without v. */
  private static JsonNode entry(ChartRef chart, byte[] index) throws ChartFetchException {
    List<String> versions = new ArrayList<>();
    JsonNode loose = null;
    boolean listed = false;
    try (JsonParser p = INDEX.createParser(index)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ChartFetchException(chart, "the index of " + chart.repository() + " is empty");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("entries") || value != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken list = p.nextToken();
          if (!name.equals(chart.chart()) || list != JsonToken.START_ARRAY) {
            p.skipChildren();
            continue;
          }
          listed = true;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode version = INDEX.readTree(p);
            String v = version.path("version").asText("");
            if (v.equals(chart.version())) {
              return version;
            }
            if (stripV(v).equals(stripV(chart.version()))) {
              loose = version;
            }
            versions.add(v);
          }
        }
      }
    } catch (IOException e) {
      throw new ChartFetchException(
          chart,
          "the index of " + chart.repository() + " is not readable YAML; check the repository URL",
          e);
    }
    if (loose != null) {
      return loose;
    }
    if (!listed) {
      throw new ChartFetchException(
          chart,
          "chart repository " + chart.repository() + " has no chart '" + chart.chart() + "'");
    }
    List<String> recent = versions.subList(0, Math.min(5, versions.size()));
    throw new ChartFetchException(
        chart,
        "chart repository "
            + chart.repository()
            + " has no version "
            + chart.version()
            + " of '"
            + chart.chart()
            + "'"
            + (recent.isEmpty() ? "" : " (it lists " + String.join(", ", recent) + ", …)"));
  }

  private static String stripV(String v) {
    return v.startsWith("v") ? v.substring(1) : v;
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a partial download in the cache's scratch space is removed with it
    }
  }

  private static YAMLFactory indexFactory() {
    LoaderOptions loader = new LoaderOptions();
    loader.setMaxAliasesForCollections(50);
    loader.setCodePointLimit((int) MAX_INDEX_BYTES + 1024);
    loader.setNestingDepthLimit(64);
    YAMLFactory f = YAMLFactory.builder().loaderOptions(loader).build();
    f.setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1024 * 1024).build());
    return f;
  }
}
