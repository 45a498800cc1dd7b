package dev.fleetwarden.charts;

import dev.fleetwarden.fleet.ChartRef;
import java.nio.file.Path;

/**
 * Where remote charts come from: Helm chart repositories (an {@code index.yaml} and {@code .tgz}
 * archives over HTTP(S)) and OCI registries. Implementations only fetch; the allow-list, the lock
 * and the cache are the fetch step's ({@link ChartFetcher}).
 */
public interface ChartSource {
  /** Where the archive of one chart version is, and the digest its repository gives for it. */
  record Located(ChartRef chart, String digest, String url) {}

  /**
   * Finds the exact version of a chart: reads the repository's index, or the registry's manifest.
   *
   * @return the archive's digest ({@code sha256:<hex>}) as the repository publishes it
   * @throws ChartFetchException the repository cannot be read, or does not list that version, or
   *     gives no digest for it
   */
  Located locate(ChartRef chart) throws ChartFetchException;

  /**
   * Downloads a located archive to {@code target}.
   *
   * @throws ChartFetchException the download failed, was too large, or its sha256 differs from
   *     {@link Located#digest()} (nothing is left at {@code target} then)
   */
  void download(Located archive, Path target) throws ChartFetchException;
}
