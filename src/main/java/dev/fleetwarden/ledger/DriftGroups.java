package dev.fleetwarden.ledger;

import dev.fleetwarden.model.CanonicalJson;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftGroup;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Severity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the drifts that several clusters share: a hotfix applied by hand to twelve clusters is one
 * cause, not twelve. Two drifts belong together when they concern the same object within its
 * cluster, have the same type and the same drifted paths with the same live values. Pure.
 */
public final class DriftGroups {
  private DriftGroups() {}

  /** The groups of two or more clusters, sorted by resource, then fingerprint. */
  public static List<DriftGroup> of(FleetReport report) {
    Map<String, List<Member>> byKey = new LinkedHashMap<>();
    for (ClusterReport cluster : report.clusters()) {
      for (ObjectDrift drift : cluster.drifts()) {
        byKey.computeIfAbsent(key(drift), k -> new ArrayList<>()).add(new Member(cluster, drift));
      }
    }
    List<DriftGroup> groups = new ArrayList<>();
    for (Map.Entry<String, List<Member>> entry : byKey.entrySet()) {
      List<Member> members = entry.getValue();
      TreeSet<String> clusters = new TreeSet<>();
      TreeSet<String> managers = new TreeSet<>();
      for (Member m : members) {
        clusters.add(m.cluster().name());
        m.drift().fields().stream()
            .map(FieldDrift::manager)
            .filter(manager -> manager != null)
            .forEach(managers::add);
      }
      if (clusters.size() < 2) {
        continue;
      }
      ObjectDrift first = members.get(0).drift();
      groups.add(
          new DriftGroup(
              fingerprint(entry.getKey()),
              first.resource().withinCluster(),
              first.type(),
              members.stream()
                  .map(m -> m.drift().severity())
                  .reduce(Severity.IN_SYNC, Severity::max),
              first.fields().stream().map(FieldDrift::path).sorted().toList(),
              List.copyOf(clusters),
              List.copyOf(managers)));
    }
    groups.sort(Comparator.comparing(DriftGroup::resource).thenComparing(DriftGroup::fingerprint));
    return groups;
  }

  private record Member(ClusterReport cluster, ObjectDrift drift) {}

  /**
   * The open findings several clusters share, for the service: what {@link #of} finds in a report,
   * found in the ledger's open findings of the whole fleet. Only findings of the same source
   * (Kubernetes or Terraform) and of two or more clusters form a group; a cluster with two findings
   * of one key (not possible for one object) counts once, with its newest.
   *
   * @param open open findings of any clusters, in any order
   * @return the groups of two or more clusters, sorted by fingerprint; members sorted by cluster
   */
  public static List<FindingGroup> ofFindings(Collection<Finding> open) {
    Map<String, Map<String, Finding>> byKey = new HashMap<>();
    for (Finding f : open) {
      if (f.resolvedAt() != null) {
        continue;
      }
      byKey
          .computeIfAbsent(key(f.drift()), k -> new TreeMap<>())
          .merge(f.cluster(), f, (a, b) -> a.lastSeen().isAfter(b.lastSeen()) ? a : b);
    }
    List<FindingGroup> groups = new ArrayList<>();
    for (Map.Entry<String, Map<String, Finding>> entry : byKey.entrySet()) {
      if (entry.getValue().size() < 2) {
        continue;
      }
      groups.add(
          new FindingGroup(fingerprint(entry.getKey()), List.copyOf(entry.getValue().values())));
    }
    groups.sort(Comparator.comparing(FindingGroup::fingerprint));
    return groups;
  }

  /** The group fingerprint of a drift: the same for every cluster's copy of it. */
  public static String fingerprintOf(ObjectDrift drift) {
    return fingerprint(key(drift));
  }

  private static String fingerprint(String key) {
    return Fingerprints.sha256(key).substring(0, Fingerprints.LENGTH);
  }

  /** What makes two clusters' drifts the same drift: everything but the cluster and the time. */
  static String key(ObjectDrift drift) {
    StringBuilder sb = new StringBuilder("fleetwarden-drift-group-v1\n");
    sb.append(drift.source() == null ? "" : drift.source().name()).append('\n');
    sb.append(drift.resource().withinCluster()).append('\n');
    sb.append(drift.type() == null ? "" : drift.type().label()).append('\n');
    List<FieldDrift> fields = new ArrayList<>(drift.fields());
    fields.sort(Comparator.comparing(f -> f.path() == null ? "" : f.path()));
    for (FieldDrift f : fields) {
      sb.append(f.path()).append('=');
      CanonicalJson.append(f.live(), sb);
      sb.append('\n');
    }
    return sb.toString();
  }
}
