package dev.fleetwarden.fleet;

/**
 * How to reach a cluster's API server.
 *
 * <ul>
 *   <li>{@code kubeconfig-context}: a context of the kubeconfig given to fleetwarden ({@code
 *       KUBECONFIG} or {@code --kubeconfig}); {@code context} defaults to the cluster name.
 *   <li>{@code kubeconfig-secret}: a kubeconfig stored in a Secret of the management cluster, as
 *       Cluster API writes them ({@code <cluster>-kubeconfig}, key {@code value}).
 *   <li>{@code in-cluster}: the service account of the pod fleetwarden runs in.
 * </ul>
 */
public record Connection(
    Type type, String context, String secretNamespace, String secretName, String secretKey) {
  public enum Type {
    KUBECONFIG_CONTEXT("kubeconfig-context"),
    KUBECONFIG_SECRET("kubeconfig-secret"),
    IN_CLUSTER("in-cluster");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Type parse(String text) {
      for (Type t : values()) {
        if (t.label.equals(text)) {
          return t;
        }
      }
      return null;
    }
  }

  public static Connection context(String context) {
    return new Connection(Type.KUBECONFIG_CONTEXT, context, null, null, null);
  }
}
