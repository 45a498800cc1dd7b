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
 * the cluster does not serve), or unknown with a reason when the cluster could not be read. An
 * unknown state has no objects: callers must never treat it as "everything missing".
 */
public final class LiveState {
  private final String cluster;
  private final String unknownReason;
  private final Map<ResourceId, ObjectNode> objects;
  private final List<LiveFinding> findings;
  private final Set<ApiKind> unservedKinds;

  private LiveState(
      String cluster,
      String unknownReason,
      Map<ResourceId, ObjectNode> objects,
      List<LiveFinding> findings,
      Set<ApiKind> unservedKinds) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.unknownReason = unknownReason;
    this.objects = objects;
    this.findings = findings;
    this.unservedKinds = unservedKinds;
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
    Map<ResourceId, ObjectNode> byId = new java.util.TreeMap<>();
    for (ObjectNode o : objects) {
      byId.putIfAbsent(ResourceId.of(cluster, o), o);
    }
    return new LiveState(
        cluster,
        null,
        Collections.unmodifiableMap(new LinkedHashMap<>(byId)),
        List.copyOf(findings),
        Collections.unmodifiableSet(new TreeSet<>(unservedKinds)));
  }

  /** A cluster that could not be read (unreachable, timed out, 401/403...). */
  public static LiveState unknown(String cluster, String reason) {
    return new LiveState(
        cluster, Objects.requireNonNull(reason, "reason"), Map.of(), List.of(), Set.of());
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

  /** The live objects sorted by resource id (empty when unknown). */
  public List<ObjectNode> objects() {
    return List.copyOf(objects.values());
  }

  /** The live object with this id (the cluster segment is ignored), or null. */
  public ObjectNode get(ResourceId id) {
    return objects.get(id.inCluster(cluster));
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
