package dev.fleetwarden.fleet;

import java.util.Locale;

/**
 * A Helm chart at one exact version in a remote repository: a Helm HTTP repository ({@code
 * repository: https://…}, the chart by name) or an OCI registry ({@code repository:
 * oci://host/path}, the chart being the last segment of its reference {@code
 * oci://host/path/chart}). It identifies a remote chart for the fetch step, the chart cache and
 * {@code fleet.lock}; the repository is kept without a trailing slash.
 */
public record ChartRef(String repository, String chart, String version) {
  public ChartRef {
    repository = trimSlashes(repository);
  }

  /** The reference of an OCI source ({@code oci://host/path/chart}) at a version. */
  public static ChartRef oci(String reference, String version) {
    String ref = trimSlashes(reference);
    int slash = ref.lastIndexOf('/');
    return new ChartRef(ref.substring(0, slash), ref.substring(slash + 1), version);
  }

  /** Whether the chart comes from an OCI registry. */
  public boolean oci() {
    return repository.toLowerCase(Locale.ROOT).startsWith("oci://");
  }

  /**
   * What the operator's allow-list is matched against: the repository of an HTTP chart, the full
   * reference of an OCI chart.
   */
  public String location() {
    return oci() ? repository + "/" + chart : repository;
  }

  /** The same chart at another version. */
  public ChartRef withVersion(String other) {
    return new ChartRef(repository, chart, other);
  }

  /** The archive's name as Helm writes it: {@code <chart>-<version>.tgz}. */
  public String archiveName() {
    return chart + "-" + version + ".tgz";
  }

  @Override
  public String toString() {
    return chart + " " + version + " from " + location();
  }

  private static String trimSlashes(String s) {
    String t = s == null ? "" : s.strip();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
