package dev.fleetwarden.reconcile;

import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.PartVerdict;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link LiveComparison} on live state read now (the clusters, or kubectl dumps): the cluster is
 * observed once, for the objects of both renders, and that one observation is compared with each
 * render, as a scan would (normalizers, ignore rules, field managers, Secret masking).
 */
public final class ObservedDrift implements LiveComparison {
  private final LiveSource live;
  private final KubernetesCheck check;

  public ObservedDrift(LiveSource live, SecretHasher hasher) {
    this.live = live;
    this.check = new KubernetesCheck(hasher);
  }

  @Override
  public Drifts compare(
      String cluster, Fleet base, ClusterRender baseRender, Fleet head, ClusterRender headRender) {
    Map<ResourceId, DesiredObject> both = new LinkedHashMap<>();
    if (baseRender != null) {
      baseRender.objects().forEach(o -> both.put(o.id(), o));
    }
    headRender.objects().forEach(o -> both.put(o.id(), o));
    Observation observed;
    try {
      observed = live.observe(cluster, new ArrayList<>(both.values()));
    } catch (RuntimeException e) {
      return Drifts.unknown("observing failed: " + e.getMessage());
    }
    if (observed.isUnknown()) {
      return Drifts.unknown(observed.unknownReason());
    }
    PartVerdict underHead =
        check.check(
            head,
            headRender,
            observed,
            baseRender == null
                ? Set.of()
                : Set.copyOf(baseRender.objects().stream().map(DesiredObject::id).toList()));
    if (underHead.status().status() == ClusterStatus.UNKNOWN) {
      return Drifts.unknown(underHead.status().reason());
    }
    List<dev.fleetwarden.model.ObjectDrift> today =
        baseRender == null || base == null
            ? List.of()
            : check.check(base, baseRender, observed, Set.of()).drifts();
    return new Drifts(today, underHead.drifts(), null);
  }
}
