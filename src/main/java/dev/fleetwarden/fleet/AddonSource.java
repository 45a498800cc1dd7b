package dev.fleetwarden.fleet;

/**
 * Where an add-on's objects come from: a local Helm chart directory, a folder of plain manifests,
 * or a Kustomize directory. {@code path} is repo-relative and never leaves the repo.
 */
public record AddonSource(Type type, String path) {
  public enum Type {
    HELM,
    MANIFESTS,
    KUSTOMIZE
  }
}
