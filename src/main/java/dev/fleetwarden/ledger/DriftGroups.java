package dev.fleetwarden.ledger;

import dev.fleetwarden.model.CanonicalJson;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftGroup;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
              Fingerprints.sha256(entry.getKey()).substring(0, Fingerprints.LENGTH),
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

  /** What makes two clusters' drifts the same drift: everything but the cluster and the time. */
  static String key(ObjectDrift drift) {
    StringBuilder sb = new StringBuilder("fleetwarden-drift-group-v1\n");
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
