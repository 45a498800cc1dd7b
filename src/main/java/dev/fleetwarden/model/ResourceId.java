package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.Objects;

/**
 * The one resource identifier used everywhere (logs, diffs, Slack, PRs, store): {@code
 * cluster/kind/namespace/name}. Cluster-scoped objects print their namespace as {@value
 * #CLUSTER_SCOPED}; Terraform resources print as {@code cluster/terraform/address}.
 */
public record ResourceId(String cluster, String kind, String namespace, String name)
    implements Comparable<ResourceId> {

  /** Placeholder namespace segment of cluster-scoped objects (never a valid namespace name). */
  public static final String CLUSTER_SCOPED = "_";

  /** The kind segment of Terraform resources. */
  public static final String TERRAFORM = "terraform";

  private static final Comparator<ResourceId> ORDER =
      Comparator.comparing(ResourceId::cluster)
          .thenComparing(ResourceId::kind)
          .thenComparing(ResourceId::namespace)
          .thenComparing(ResourceId::name);

  public ResourceId {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    namespace = namespace == null || namespace.isEmpty() ? CLUSTER_SCOPED : namespace;
  }

  /** The id of a Kubernetes object (a manifest with {@code kind} and {@code metadata}). */
  public static ResourceId of(String cluster, JsonNode object) {
    JsonNode meta = object.path("metadata");
    return new ResourceId(
        cluster,
        object.path("kind").asText(),
        meta.path("namespace").asText(""),
        meta.path("name").asText());
  }

  /** The id of a Terraform resource address in a cluster's stack. */
  public static ResourceId terraform(String cluster, String address) {
    return new ResourceId(cluster, TERRAFORM, CLUSTER_SCOPED, address);
  }

  /** Parses the printed form; accepts the three-segment Terraform form. */
  @JsonCreator
  public static ResourceId parse(String text) {
    String[] parts = text.split("/", 4);
    if (parts.length == 3 && TERRAFORM.equals(parts[1])) {
      return terraform(parts[0], parts[2]);
    }
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          "not a resource id (want cluster/kind/namespace/name): " + text);
    }
    return new ResourceId(parts[0], parts[1], parts[2], parts[3]);
  }

  public boolean isTerraform() {
    return TERRAFORM.equals(kind);
  }

  public boolean isClusterScoped() {
    return CLUSTER_SCOPED.equals(namespace);
  }

  /** The namespace for API calls: null when cluster-scoped. */
  public String namespaceOrNull() {
    return isClusterScoped() ? null : namespace;
  }

  /** The same object in another cluster. */
  public ResourceId inCluster(String otherCluster) {
    return new ResourceId(otherCluster, kind, namespace, name);
  }

  /** {@code kind/namespace/name} without the cluster, for per-cluster listings. */
  public String withinCluster() {
    return isTerraform() ? TERRAFORM + "/" + name : kind + "/" + namespace + "/" + name;
  }

  @JsonValue
  @Override
  public String toString() {
    return cluster + "/" + withinCluster();
  }

  @Override
  public int compareTo(ResourceId o) {
    return ORDER.compare(this, o);
  }
}
