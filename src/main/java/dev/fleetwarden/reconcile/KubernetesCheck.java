package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.drift.DiffInput;
import dev.fleetwarden.drift.Differ;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.PartVerdict;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes half of a cluster's verdict: compare its render with what was observed. Pure: a
 * failed render or an unknown observation yields no drift at all.
 */
public final class KubernetesCheck {
  /** The verdict and the drifted objects. */
  private final Differ differ;

  /**
   * @param hasher the keyed hash of Secret values (the installation's key)
   */
  public KubernetesCheck(SecretHasher hasher) {
    this.differ = new Differ(hasher);
  }

  /**
   * The drift of some objects of a cluster, as a full check would find it for them: the pure diff
   * runs with the whole desired state (which namespaces and kinds the fleet uses decides whether a
   * live-only object was added by hand) and the live copies of those objects only, and its result
   * is cut to them. Objects of kinds the cluster does not serve are not judged.
   *
   * @param ids the objects to judge (in the render's cluster)
   * @param live the live copy of each object; a missing key or null value: not live
   * @param absentKinds kinds the cluster does not serve ({@code Kind.group})
   * @param liveCrds the CRDs the cluster serves (their schemas key the lists, as in {@link #check})
   */
  public List<ObjectDrift> checkObjects(
      Fleet fleet,
      ClusterRender render,
      Set<ResourceId> ids,
      Map<ResourceId, ? extends JsonNode> live,
      Set<ResourceId> previousRender,
      Set<String> absentKinds,
      List<? extends JsonNode> liveCrds) {
    if (render.failed() || ids.isEmpty()) {
      return List.of();
    }
    ClusterSpec cluster = fleet.clusters().get(render.cluster());
    List<DesiredObject> judgeable =
        absentKinds.isEmpty()
            ? render.objects()
            : render.objects().stream()
                .filter(o -> !absentKinds.contains(o.id().groupKind()))
                .toList();
    List<JsonNode> liveObjects = new java.util.ArrayList<>();
    live.values()
        .forEach(
            o -> {
              if (o != null
                  && !absentKinds.contains(ResourceId.of(render.cluster(), o).groupKind())) {
                liveObjects.add(o);
              }
            });
    List<ObjectDrift> all =
        differ.diff(
            new DiffInput(
                render.cluster(),
                judgeable,
                liveObjects,
                previousRender,
                cluster == null ? List.of() : cluster.ignore(),
                addonRules(fleet),
                fleet.settings() == null ? null : Set.copyOf(fleet.settings().humanManagers()),
                types(render, new Observation(liveObjects, Set.of(), null, liveCrds))));
    return all.stream()
        .filter(d -> ids.contains(d.resource()) && !absentKinds.contains(d.resource().groupKind()))
        .toList();
  }

  private static Map<String, List<IgnoreRule>> addonRules(Fleet fleet) {
    Map<String, List<IgnoreRule>> addonRules = new HashMap<>();
    for (AddonSpec addon : fleet.addons().values()) {
      addonRules.put(addon.name(), addon.ignore());
    }
    return addonRules;
  }

  public PartVerdict check(
      Fleet fleet, ClusterRender render, Observation live, Set<ResourceId> previousRender) {
    if (render.failed()) {
      return new PartVerdict(
          new PartStatus(ClusterStatus.RENDER_ERROR, render.error().toString()), List.of());
    }
    if (live.isUnknown()) {
      return new PartVerdict(PartStatus.unknown(live.unknownReason()), List.of());
    }
    ClusterSpec cluster = fleet.clusters().get(render.cluster());
    Map<String, List<IgnoreRule>> addonRules = addonRules(fleet);
    // Objects of kinds the cluster does not serve (CRD absent) are a finding, not "missing"; live
    // objects of those kinds (read through another version) are left out too, so that they are
    // not taken for orphans.
    Set<String> absent = live.absentKinds();
    List<DesiredObject> judgeable =
        render.objects().stream().filter(o -> !absent.contains(o.id().groupKind())).toList();
    List<? extends JsonNode> liveObjects =
        absent.isEmpty()
            ? live.objects()
            : live.objects().stream()
                .filter(o -> !absent.contains(ResourceId.of(render.cluster(), o).groupKind()))
                .toList();
    List<ObjectDrift> drifts =
        differ.diff(
            new DiffInput(
                render.cluster(),
                judgeable,
                liveObjects,
                previousRender,
                cluster == null ? List.of() : cluster.ignore(),
                addonRules,
                fleet.settings() == null ? null : Set.copyOf(fleet.settings().humanManagers()),
                types(render, live)));
    String reason =
        absent.isEmpty()
            ? null
            : "not served by the cluster (CRD absent?): "
                + String.join(", ", new java.util.TreeSet<>(absent));
    return new PartVerdict(
        new PartStatus(drifts.isEmpty() ? ClusterStatus.IN_SYNC : ClusterStatus.DRIFTED, reason),
        drifts);
  }

  /**
   * The types whose schemas key the lists: the built-in kinds, the CRDs the fleet renders, and the
   * CRDs the cluster serves (live wins: its schema is the one the API server applies).
   */
  static ApiTypes types(ClusterRender render, Observation live) {
    List<JsonNode> rendered = new ArrayList<>();
    render.objects().forEach(o -> rendered.add(o.manifest()));
    return ApiTypes.builtIn().withCrds(rendered).withCrds(live.crds()).withCrds(live.objects());
  }
}
