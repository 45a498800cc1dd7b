package dev.fleetwarden.model;

import java.util.Set;

/**
 * What fleetwarden knows about Kubernetes kinds without asking an API server: which built-in and
 * common add-on kinds are cluster-scoped. Anything else is treated as namespaced.
 */
public final class Kinds {
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "Node",
          "PersistentVolume",
          "ClusterRole",
          "ClusterRoleBinding",
          "CustomResourceDefinition",
          "StorageClass",
          "PriorityClass",
          "IngressClass",
          "RuntimeClass",
          "CSIDriver",
          "APIService",
          "ValidatingWebhookConfiguration",
          "MutatingWebhookConfiguration",
          "ValidatingAdmissionPolicy",
          "ValidatingAdmissionPolicyBinding",
          "ClusterPolicy",
          "ClusterIssuer",
          "ClusterCleanupPolicy");

  private Kinds() {}

  public static boolean isClusterScoped(String kind) {
    return CLUSTER_SCOPED.contains(kind);
  }
}
