package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one resource identifier used everywhere (logs, diffs, Slack, PRs, store): {@code
 * cluster/Kind.group/namespace/name}, the API group written after the kind as kubectl does ({@code
 * Deployment.apps}); objects of the core group print the kind alone ({@code ConfigMap}). The API
 * version is not part of the id: {@code apps/v1} and {@code apps/v1beta1} name the same object.
 * Cluster-scoped objects print their namespace as {@value #CLUSTER_SCOPED}; Terraform resources
 * print as {@code cluster/terraform/address}.
 *
 * @param group the API group, {@code ""} for the core group (and for Terraform resources)
 */
public record ResourceId(String cluster, String group, String kind, String namespace, String name)
    implements Comparable<ResourceId> {

  /** Placeholder namespace segment of cluster-scoped objects (never a valid namespace name). */
  public static final String CLUSTER_SCOPED = "_";

  /** The kind segment of Terraform resources. */
  public static final String TERRAFORM = "terraform";

  private static final Comparator<ResourceId> ORDER =
      Comparator.comparing(ResourceId::cluster)
          .thenComparing(ResourceId::kind)
          .thenComparing(ResourceId::group)
          .thenComparing(ResourceId::namespace)
          .thenComparing(ResourceId::name);

  public ResourceId {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    group = group == null ? "" : group;
    namespace = namespace == null || namespace.isEmpty() ? CLUSTER_SCOPED : namespace;
  }

  /**
   * The id of a Kubernetes object (a manifest with {@code apiVersion}, {@code kind} and {@code
   * metadata}); the group comes from {@code apiVersion}, the version is dropped.
   */
  public static ResourceId of(String cluster, JsonNode object) {
    JsonNode meta = object.path("metadata");
    return new ResourceId(
        cluster,
        groupOf(object.path("apiVersion").asText("")),
        object.path("kind").asText(),
        meta.path("namespace").asText(""),
        meta.path("name").asText());
  }

  /**
   * The group of an {@code apiVersion}: {@code apps} of {@code apps/v1}, {@code ""} of {@code v1}.
   */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    if (slash < 0) {
      return "";
    }
    String group = GROUPS.get(apiVersion);
    if (group == null) {
      group = apiVersion.substring(0, slash);
      if (GROUPS.size() < MAX_GROUPS) {
        GROUPS.putIfAbsent(apiVersion, group);
      }
    }
    return group;
  }

  /**
   * The group of each {@code apiVersion} seen, one string each: ids are built for every object of
   * every read and diff, and a shared group string keeps its hash and compares by identity.
   * Bounded, since API versions come from the fleet and the clusters.
   */
  private static final Map<String, String> GROUPS = new ConcurrentHashMap<>();

  private static final int MAX_GROUPS = 4096;

  /** The id of a Terraform resource address in a cluster's stack. */
  public static ResourceId terraform(String cluster, String address) {
    return new ResourceId(cluster, "", TERRAFORM, CLUSTER_SCOPED, address);
  }

  /**
   * Parses the printed form {@code cluster/Kind.group/namespace/name} (or {@code
   * cluster/terraform/address}). A kind segment without a dot is of the core group.
   */
  @JsonCreator
  public static ResourceId parse(String text) {
    String[] parts = text.split("/", 4);
    if (parts.length >= 3 && TERRAFORM.equals(parts[1])) {
      // Addresses may hold slashes (for_each keys): everything after the kind is the address.
      return terraform(parts[0], text.substring(parts[0].length() + TERRAFORM.length() + 2));
    }
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          "not a resource id (want cluster/Kind.group/namespace/name): " + text);
    }
    String kindAndGroup = parts[1];
    int dot = kindAndGroup.indexOf('.');
    String kind = dot < 0 ? kindAndGroup : kindAndGroup.substring(0, dot);
    String group = dot < 0 ? "" : kindAndGroup.substring(dot + 1);
    if (kind.isEmpty() || (dot >= 0 && group.isEmpty())) {
      throw new IllegalArgumentException(
          "not a resource id (want cluster/Kind.group/namespace/name): " + text);
    }
    return new ResourceId(parts[0], group, kind, parts[2], parts[3]);
  }

  /**
   * Parses an id that may have been written before ids carried the API group ({@code
   * cluster/kind/namespace/name}): a group-less kind that Kubernetes serves only in another group
   * ({@code Deployment}) gets that group ({@link Kinds#builtInGroup}). An id that has a group, or
   * whose kind is not built in, is taken as written.
   */
  public static ResourceId parseLegacy(String text) {
    ResourceId id = parse(text);
    if (id.isTerraform() || !id.group.isEmpty()) {
      return id;
    }
    String group = Kinds.builtInGroup(id.kind);
    return group == null || group.isEmpty() ? id : id.withGroup(group);
  }

  public boolean isTerraform() {
    return TERRAFORM.equals(kind) && group.isEmpty();
  }

  public boolean isClusterScoped() {
    return CLUSTER_SCOPED.equals(namespace);
  }

  /** Whether the object is of the core API group (ConfigMap, Secret, Service...). */
  public boolean isCoreGroup() {
    return group.isEmpty();
  }

  /** The namespace for API calls: null when cluster-scoped. */
  public String namespaceOrNull() {
    return isClusterScoped() ? null : namespace;
  }

  /** The same object in another cluster. */
  public ResourceId inCluster(String otherCluster) {
    if (cluster.equals(otherCluster)) {
      return this;
    }
    return new ResourceId(otherCluster, group, kind, namespace, name);
  }

  /** The same cluster, kind, namespace and name in another API group. */
  public ResourceId withGroup(String otherGroup) {
    return new ResourceId(cluster, otherGroup, kind, namespace, name);
  }

  /** {@code Kind.group}, or {@code Kind} for the core group: the kind segment of the id. */
  public String groupKind() {
    return groupKind(group, kind);
  }

  /** {@code Kind.group}, or {@code Kind} for the core group ({@code group} empty or null). */
  public static String groupKind(String group, String kind) {
    return group == null || group.isEmpty() ? kind : kind + "." + group;
  }

  /** {@code Kind.group/namespace/name} without the cluster, for per-cluster listings. */
  public String withinCluster() {
    return isTerraform() ? TERRAFORM + "/" + name : groupKind() + "/" + namespace + "/" + name;
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
