package dev.fleetwarden.model;

import java.util.Map;
import java.util.Set;

/**
 * What fleetwarden knows about Kubernetes kinds without asking an API server: which built-in and
 * common add-on kinds are cluster-scoped (anything else is treated as namespaced), and the API
 * group of each built-in kind.
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

  /**
   * The API group of each kind Kubernetes itself serves outside the core group, as served since
   * Kubernetes 1.22 (the retired {@code extensions} group is left out). Kinds served in two groups
   * ({@code Event}: core and {@code events.k8s.io}) are left out too: their group cannot be told
   * from the kind.
   */
  private static final Map<String, String> BUILT_IN_GROUPS =
      Map.ofEntries(
          Map.entry("Deployment", "apps"),
          Map.entry("StatefulSet", "apps"),
          Map.entry("DaemonSet", "apps"),
          Map.entry("ReplicaSet", "apps"),
          Map.entry("ControllerRevision", "apps"),
          Map.entry("Job", "batch"),
          Map.entry("CronJob", "batch"),
          Map.entry("HorizontalPodAutoscaler", "autoscaling"),
          Map.entry("PodDisruptionBudget", "policy"),
          Map.entry("Ingress", "networking.k8s.io"),
          Map.entry("IngressClass", "networking.k8s.io"),
          Map.entry("NetworkPolicy", "networking.k8s.io"),
          Map.entry("Role", "rbac.authorization.k8s.io"),
          Map.entry("RoleBinding", "rbac.authorization.k8s.io"),
          Map.entry("ClusterRole", "rbac.authorization.k8s.io"),
          Map.entry("ClusterRoleBinding", "rbac.authorization.k8s.io"),
          Map.entry("StorageClass", "storage.k8s.io"),
          Map.entry("CSIDriver", "storage.k8s.io"),
          Map.entry("CSINode", "storage.k8s.io"),
          Map.entry("CSIStorageCapacity", "storage.k8s.io"),
          Map.entry("VolumeAttachment", "storage.k8s.io"),
          Map.entry("PriorityClass", "scheduling.k8s.io"),
          Map.entry("RuntimeClass", "node.k8s.io"),
          Map.entry("Lease", "coordination.k8s.io"),
          Map.entry("EndpointSlice", "discovery.k8s.io"),
          Map.entry("CertificateSigningRequest", "certificates.k8s.io"),
          Map.entry("CustomResourceDefinition", "apiextensions.k8s.io"),
          Map.entry("APIService", "apiregistration.k8s.io"),
          Map.entry("ValidatingWebhookConfiguration", "admissionregistration.k8s.io"),
          Map.entry("MutatingWebhookConfiguration", "admissionregistration.k8s.io"),
          Map.entry("ValidatingAdmissionPolicy", "admissionregistration.k8s.io"),
          Map.entry("ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io"),
          Map.entry("FlowSchema", "flowcontrol.apiserver.k8s.io"),
          Map.entry("PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io"));

  /** Kinds of the core group (apiVersion {@code v1}) whose name no other built-in group uses. */
  private static final Set<String> CORE =
      Set.of(
          "Pod",
          "Service",
          "ConfigMap",
          "Secret",
          "ServiceAccount",
          "Namespace",
          "Node",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "Endpoints",
          "LimitRange",
          "ResourceQuota",
          "ReplicationController",
          "PodTemplate");

  private Kinds() {}

  /**
   * The API group Kubernetes serves a built-in kind in: {@code "apps"} for {@code Deployment},
   * {@code ""} for core kinds such as {@code ConfigMap}; null for kinds that are not built in
   * (custom resources) or are served in several groups. Used where only a kind name is known, such
   * as ids stored before ids carried the group.
   */
  public static String builtInGroup(String kind) {
    if (CORE.contains(kind)) {
      return "";
    }
    return BUILT_IN_GROUPS.get(kind);
  }

  /** Every built-in kind outside the core group, with its group (for checks and tests). */
  public static Map<String, String> builtInGroups() {
    return BUILT_IN_GROUPS;
  }

  public static boolean isClusterScoped(String kind) {
    return CLUSTER_SCOPED.contains(kind);
  }
}
