package dev.fleetwarden.kube;

/**
 * A cluster could not be reached or read: bad connection settings, a missing kubeconfig Secret, an
 * unreachable API server, missing permissions. The message names the cluster and what to do next;
 * it never contains kubeconfig contents or tokens.
 */
public class KubeAccessException extends RuntimeException {
  private final String cluster;

  public KubeAccessException(String cluster, String message) {
    super(message);
    this.cluster = cluster;
  }

  public KubeAccessException(String cluster, String message, Throwable cause) {
    super(message, cause);
    this.cluster = cluster;
  }

  /** The cluster that could not be accessed. */
  public String cluster() {
    return cluster;
  }
}
