package dev.fleetwarden.ledger;

import java.util.List;

/**
 * Open findings that several clusters share ({@link DriftGroups#ofFindings}): the same object
 * within its cluster, the same drift type, the same drifted paths and live values. {@code
 * fingerprint} identifies the group whatever clusters join or leave it (it is not any member's own
 * fingerprint); {@code members} holds one finding per cluster, sorted by cluster.
 */
public record FindingGroup(String fingerprint, List<Finding> members) {

  public FindingGroup {
    members = List.copyOf(members);
  }

  /** The member clusters, sorted. */
  public List<String> clusters() {
    return members.stream().map(Finding::cluster).toList();
  }

  /** The object the group is about, within its clusters ({@code Kind.group/namespace/name}). */
  public String resource() {
    return members.get(0).resource().withinCluster();
  }
}
