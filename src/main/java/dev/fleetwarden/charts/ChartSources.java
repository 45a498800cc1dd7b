package dev.fleetwarden.charts;

import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.ChartRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real {@link ChartSource}: Helm chart repositories over HTTP(S) and OCI registries, through
 * one set of HTTP rules ({@code ChartHttp}: allow-listed redirects, credentials by prefix, size
 * caps, deadlines).
 */
public final class ChartSources implements ChartSource {
  /** How long one request may take by default, body included. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final HttpChartRepository repositories;
  private final OciRegistry registries;

  /**
   * @param mirrors repository URL prefix → base URL it is served from (the example fleet's
   *     repository on the embedded defaults); empty in a real installation
   */
  public ChartSources(
      ChartAllowList allowList,
      RepositoryCredentials credentials,
      Map<String, String> mirrors,
      Duration timeout) {
    ChartHttp http = new ChartHttp(allowList, credentials, mirrors, timeout);
    this.repositories = new HttpChartRepository(http);
    this.registries = new OciRegistry(http);
  }

  @Override
  public Located locate(ChartRef chart) throws ChartFetchException {
    return chart.oci() ? registries.locate(chart) : repositories.locate(chart);
  }

  @Override
  public void download(Located archive, Path target) throws ChartFetchException {
    if (archive.chart().oci()) {
      registries.download(archive, target);
    } else {
      repositories.download(archive, target);
    }
  }
}
