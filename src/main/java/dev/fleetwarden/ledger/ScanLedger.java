package dev.fleetwarden.ledger;

import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure half of recording a scan: given the open findings before the scan and the drifts it
 * found, decide what is new, changed, resolved and still open. Every implementation of {@link
 * Findings} writes what this decides, so they all agree on the lifecycle.
 */
public final class ScanLedger {
  private ScanLedger() {}

  /**
   * Decides a scan as {@link #compare(String, DriftSource, Instant, String, List, List)} does,
   * honouring {@link ScanInput#resources()}: open findings of objects the scan does not cover are
   * left out (neither resolved nor still open), and a drift of an object it does not cover is
   * refused.
   *
   * @param openBefore open findings of the cluster within the scan's scope
   */
  public static ScanOutcome compare(ScanInput scan, List<Finding> openBefore) {
    if (!scan.isObjectVerdict()) {
      return compare(
          scan.cluster(), scan.scope(), scan.at(), scan.revision(), openBefore, scan.drifts());
    }
    for (ObjectDrift d : scan.drifts()) {
      if (!scan.covers(d.resource())) {
        throw new IllegalArgumentException(
            "drift of " + d.resource() + " recorded in a verdict of other objects");
      }
    }
    List<Finding> covered = openBefore.stream().filter(f -> scan.covers(f.resource())).toList();
    return compare(
        scan.cluster(), scan.scope(), scan.at(), scan.revision(), covered, scan.drifts());
  }

  /**
   * @param openBefore open findings of the cluster within the scan's scope
   * @param drifts drifts found by the scan; one of another cluster or outside the scope is refused
   *     with an {@link IllegalArgumentException} before anything is decided
   */
  public static ScanOutcome compare(
      String cluster,
      DriftSource scope,
      Instant at,
      String revision,
      List<Finding> openBefore,
      List<ObjectDrift> drifts) {
    Map<String, Finding> before = new LinkedHashMap<>();
    openBefore.forEach(f -> before.put(f.fingerprint(), f));

    Map<String, ObjectDrift> now = new LinkedHashMap<>();
    for (ObjectDrift d : drifts) {
      if (!cluster.equals(d.resource().cluster())) {
        throw new IllegalArgumentException(
            "drift of " + d.resource() + " recorded in a scan of cluster " + cluster);
      }
      if (scope != null && d.source() != null && d.source() != scope) {
        throw new IllegalArgumentException(
            "drift of "
                + d.resource()
                + " ("
                + d.source().label()
                + ") in a "
                + scope.label()
                + " scan; record it with the matching scope");
      }
      now.putIfAbsent(Fingerprints.of(d), d);
    }

    List<Finding> stillOpen = new ArrayList<>();
    List<Map.Entry<String, ObjectDrift>> appeared = new ArrayList<>();
    for (Map.Entry<String, ObjectDrift> e : now.entrySet()) {
      Finding old = before.get(e.getKey());
      if (old != null) {
        stillOpen.add(old.seenAgain(e.getValue(), at, revision));
      } else {
        appeared.add(e);
      }
    }
    // Open findings that disappeared, grouped by resource: a resource that drifted differently is
    // a change, not a resolve plus a new finding.
    Map<ResourceId, List<Finding>> gone = new HashMap<>();
    for (Finding f : before.values()) {
      if (!now.containsKey(f.fingerprint())) {
        gone.computeIfAbsent(f.resource(), r -> new ArrayList<>()).add(f);
      }
    }
    List<Finding> fresh = new ArrayList<>();
    List<ScanOutcome.Change> changed = new ArrayList<>();
    for (Map.Entry<String, ObjectDrift> e : appeared) {
      ObjectDrift d = e.getValue();
      List<Finding> candidates = gone.get(d.resource());
      if (candidates != null && !candidates.isEmpty()) {
        Finding previous = candidates.remove(0);
        Finding current = Finding.opened(e.getKey(), d, previous.firstSeen(), at, revision);
        changed.add(
            new ScanOutcome.Change(previous.resolved(at).withSupersededBy(e.getKey()), current));
      } else {
        fresh.add(Finding.opened(e.getKey(), d, at, at, revision));
      }
    }
    List<Finding> resolved = new ArrayList<>();
    gone.values().forEach(list -> list.forEach(f -> resolved.add(f.resolved(at))));

    Comparator<Finding> order =
        Comparator.comparing(Finding::resource).thenComparing(Finding::fingerprint);
    fresh.sort(order);
    resolved.sort(order);
    stillOpen.sort(order);
    changed.sort(Comparator.comparing(c -> c.current().resource()));
    ClusterStatus status =
        fresh.isEmpty() && changed.isEmpty() && stillOpen.isEmpty()
            ? ClusterStatus.IN_SYNC
            : ClusterStatus.DRIFTED;
    return new ScanOutcome(cluster, at, status, fresh, changed, resolved, stillOpen);
  }
}
