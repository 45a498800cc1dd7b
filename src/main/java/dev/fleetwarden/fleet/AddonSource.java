package dev.fleetwarden.fleet;

/**
 * Where an add-on's objects come from: a local Helm chart directory, a folder of plain manifests, a
 * Kustomize directory ({@code path}, repo-relative, never leaving the repo), or a Helm chart from a
 * remote repository or registry ({@code chart}, at the add-on's default version; clusters and
 * environments may override the version). Exactly one of {@code path} and {@code chart} is set.
 */
public record AddonSource(Type type, String path, ChartRef chart) {
  public enum Type {
    HELM,
    MANIFESTS,
    KUSTOMIZE
  }

  public AddonSource(Type type, String path) {
    this(type, path, null);
  }

  /** A Helm chart from a chart repository or an OCI registry. */
  public static AddonSource remote(ChartRef chart) {
    return new AddonSource(Type.HELM, null, chart);
  }

  /** Whether the chart is fetched from a repository or registry (not in the fleet repo). */
  public boolean remote() {
    return chart != null;
  }
}
