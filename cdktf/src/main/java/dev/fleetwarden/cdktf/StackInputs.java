package dev.fleetwarden.cdktf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The inputs of one cluster's stack: the cluster's name, role and environment, and the {@code
 * infrastructure} block of its {@code cluster.yaml} (region, vpcCidr, availabilityZones,
 * kubernetesVersion, nodeGroups, allowedCidrs, tags).
 */
public record StackInputs(
    String cluster,
    boolean management,
    String environment,
    String region,
    String vpcCidr,
    List<String> availabilityZones,
    String kubernetesVersion,
    List<NodeGroup> nodeGroups,
    List<String> allowedCidrs,
    Map<String, String> tags) {

  /** One EKS managed node group. */
  public record NodeGroup(
      String name, String instanceType, int minSize, int maxSize, int desiredSize) {
    public NodeGroup {
      Objects.requireNonNull(name, "nodeGroups[].name");
      Objects.requireNonNull(instanceType, "nodeGroups[].instanceType");
    }
  }

  public StackInputs {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(region, "infrastructure.region");
    Objects.requireNonNull(vpcCidr, "infrastructure.vpcCidr");
    Objects.requireNonNull(kubernetesVersion, "infrastructure.kubernetesVersion");
    environment = environment == null || environment.isBlank() ? cluster : environment;
    availabilityZones = List.copyOf(availabilityZones);
    nodeGroups = List.copyOf(nodeGroups);
    allowedCidrs = List.copyOf(allowedCidrs);
    tags = Map.copyOf(tags);
    if (availabilityZones.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster " + cluster + ": infrastructure.availabilityZones must list at least one zone");
    }
  }

  /**
   * Reads the {@code infrastructure} block of a cluster. A missing required key is an {@link
   * IllegalArgumentException} that names the cluster and the key.
   */
  public static StackInputs from(
      String cluster, boolean management, String environment, JsonNode infrastructure) {
    if (infrastructure == null || !infrastructure.isObject()) {
      throw new IllegalArgumentException(
          "cluster " + cluster + " has no infrastructure block: add one to its cluster.yaml");
    }
    List<NodeGroup> groups = new ArrayList<>();
    for (JsonNode g : infrastructure.path("nodeGroups")) {
      groups.add(
          new NodeGroup(
              required(cluster, g, "name"),
              required(cluster, g, "instanceType"),
              g.path("minSize").asInt(1),
              g.path("maxSize").asInt(Math.max(1, g.path("minSize").asInt(1))),
              g.path("desiredSize").asInt(g.path("minSize").asInt(1))));
    }
    Map<String, String> tags = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = infrastructure.path("tags").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      tags.put(e.getKey(), e.getValue().asText());
    }
    return new StackInputs(
        cluster,
        management,
        environment,
        required(cluster, infrastructure, "region"),
        required(cluster, infrastructure, "vpcCidr"),
        texts(infrastructure.path("availabilityZones")),
        required(cluster, infrastructure, "kubernetesVersion"),
        groups,
        texts(infrastructure.path("allowedCidrs")),
        tags);
  }

  /**
   * Reads the block when only the cluster name is known: the role and environment come from the
   * {@code role} and {@code environment} tags when present (workload, environment = cluster name
   * otherwise).
   */
  public static StackInputs from(String cluster, JsonNode infrastructure) {
    JsonNode tags = infrastructure == null ? null : infrastructure.path("tags");
    boolean management =
        tags != null && "management".equalsIgnoreCase(tags.path("role").asText(""));
    String environment = tags == null ? null : tags.path("environment").asText(null);
    return from(cluster, management, environment, infrastructure);
  }

  private static String required(String cluster, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw new IllegalArgumentException(
          "cluster " + cluster + ": infrastructure key '" + key + "' is missing or empty");
    }
    return v.asText();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(n.asText());
    }
    return out;
  }
}
