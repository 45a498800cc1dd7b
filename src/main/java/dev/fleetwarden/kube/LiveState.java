package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a cluster holds, as read at one moment: either the live objects (with findings such as kinds
 * the cluster does not serve, and the CRDs of the custom resources the desired state uses), or
 * unknown with a reason when the cluster could not be read. An unknown state has no objects:
 * callers must never treat it as "everything missing".
 *
 * <p>An object is held once per {@code apiVersion} it was read in: a kind the desired state uses in
 * two versions is read in each, so that each desired object is compared with the object as the API
 * server serves it in the version Git declares.
 */
public final class LiveState {
  private final String cluster;
  private final String unknownReason;
  private final Map<ResourceId, ObjectNode> objects;
  private final Map<String, ObjectNode> byVersion;
  private final List<ObjectNode> all;
  private final List<LiveFinding> findings;
  private final Set<ApiKind> unservedKinds;
  private final List<ObjectNode> crds;

  private LiveState(
      String cluster,
      String unknownReason,
      Map<ResourceId, ObjectNode> objects,
      Map<String, ObjectNode> byVersion,
      List<LiveFinding> findings,
      Set<ApiKind> unservedKinds,
      List<ObjectNode> crds) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.unknownReason = unknownReason;
    this.objects = objects;
    this.byVersion = byVersion;
    this.all = List.copyOf(byVersion.values());
    this.findings = findings;
    this.unservedKinds = unservedKinds;
    this.crds = crds;
  }

  /**
   * A cluster that was read.
   *
   * @param objects live objects (owned by the state from now on); duplicates are dropped
   * @param findings observations such as unserved kinds
   * @param unservedKinds kinds whose list call answered 404: their desired objects cannot be judged
   */
  public static LiveState known(
      String cluster,
      Collection<ObjectNode> objects,
      List<LiveFinding> findings,
      Set<ApiKind> unservedKinds) {
    return known(cluster, objects, findings, unservedKinds, List.of());
  }

  /**
   * A cluster that was read, with the CRDs it serves for the desired state's custom resources.
   *
   * @param crds CustomResourceDefinition objects read from the cluster (for scope and list keys)
   */
  public static LiveState known(
      String cluster,
      Collection<ObjectNode> objects,
      List<LiveFinding> findings,
      Set<ApiKind> unservedKinds,
      List<ObjectNode> crds) {
    Map<ResourceId, ObjectNode> byId = new java.util.TreeMap<>();
    Map<String, ObjectNode> byVersion = new java.util.TreeMap<>();
    for (ObjectNode o : objects) {
      ResourceId id = ResourceId.of(cluster, o);
      byId.putIfAbsent(id, o);
      byVersion.putIfAbsent(id + " " + o.path("apiVersion").asText(), o);
    }
    return new LiveState(
        cluster,
        null,
        Collections.unmodifiableMap(new LinkedHashMap<>(byId)),
        byVersion,
        List.copyOf(findings),
        Collections.unmodifiableSet(new TreeSet<>(unservedKinds)),
        List.copyOf(crds));
  }

  /** A cluster that could not be read (unreachable, timed out, 401/403...). */
  public static LiveState unknown(String cluster, String reason) {
    return new LiveState(
        cluster,
        Objects.requireNonNull(reason, "reason"),
        Map.of(),
        Map.of(),
        List.of(),
        Set.of(),
        List.of());
  }

  public String cluster() {
    return cluster;
  }

  public boolean isKnown() {
    return unknownReason == null;
  }

  /** Why the cluster could not be read; null when it was. */
  public String unknownReason() {
    return unknownReason;
  }

  /**
   * The live objects sorted by resource id, an object read in several versions once per version
   * (empty when unknown).
   */
  public List<ObjectNode> objects() {
    return all;
  }

  /** The live object with this id (the cluster segment is ignored), or null. */
  public ObjectNode get(ResourceId id) {
    return objects.get(id.inCluster(cluster));
  }

  /** The object with this id as read in {@code apiVersion}, else in any version, or null. */
  public ObjectNode get(ResourceId id, String apiVersion) {
    ResourceId here = id.inCluster(cluster);
    ObjectNode read = byVersion.get(here + " " + apiVersion);
    return read != null ? read : objects.get(here);
  }

  /**
   * The CustomResourceDefinitions read for the desired state's custom resources (empty when the
   * desired state has none, or the cluster would not list them).
   */
  public List<ObjectNode> crds() {
    return crds;
  }

  public Set<ResourceId> ids() {
    return objects.keySet();
  }

  public List<LiveFinding> findings() {
    return findings;
  }

  /** Kinds the cluster does not serve (their list answered 404, e.g. CRD absent). */
  public Set<ApiKind> unservedKinds() {
    return unservedKinds;
  }

  /**
   * False when the cluster answered 404 for this kind in its group: its objects can be neither
   * found nor missed. Kinds are told apart by group and kind, as resource ids are; the version does
   * not matter (a 404 for {@code v1beta1} also makes the group's {@code v1} objects unjudgeable,
   * since the same object may be read through either).
   */
  public boolean isServed(String apiVersion, String kind) {
    String group = ResourceId.groupOf(apiVersion);
    for (ApiKind k : unservedKinds) {
      if (k.kind().equals(kind) && k.group().equals(group)) {
        return false;
      }
    }
    return true;
  }

  /** The unserved kinds as resource ids name them ({@code Kind.group}, see {@link ResourceId}). */
  public Set<String> unservedGroupKinds() {
    Set<String> out = new TreeSet<>();
    unservedKinds.forEach(k -> out.add(ResourceId.groupKind(k.group(), k.kind())));
    return out;
  }

  /**
   * The desired objects this state can judge: all of them when the cluster is known, minus those of
   * unserved kinds (which must not be reported missing); none when unknown.
   */
  public List<DesiredObject> judgeable(Collection<DesiredObject> desired) {
    if (!isKnown()) {
      return List.of();
    }
    List<DesiredObject> out = new ArrayList<>(desired.size());
    for (DesiredObject d : desired) {
      if (isServed(d.apiVersion(), d.id().kind())) {
        out.add(d);
      }
    }
    return out;
  }

  /** The Kubernetes half of the cluster's verdict when it could not be judged; null when known. */
  public PartStatus unknownStatus() {
    return isKnown() ? null : PartStatus.unknown(unknownReason);
  }

  @Override
  public String toString() {
    return isKnown()
        ? cluster + ": " + objects.size() + " objects, " + findings.size() + " findings"
        : cluster + ": unknown (" + unknownReason + ")";
  }
}
