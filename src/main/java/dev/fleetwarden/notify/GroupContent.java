package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Severity;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a fleet-wide group message shows: the same drift on several clusters, one finding per
 * cluster, or, once the last of them resolved, the group as resolved.
 *
 * @param group the group fingerprint ({@link dev.fleetwarden.ledger.DriftGroups#fingerprintOf})
 * @param key the message's key in the alert states ({@link GroupPlanner#groupKey})
 * @param mention who to mention while the group is open (null: nobody)
 * @param members one finding per cluster, sorted by cluster (when resolved: the last members)
 * @param environments the environment of each member cluster, when known
 * @param pullRequests the remediation pull request of each member finding, by fingerprint
 * @param since when the oldest member was first seen (when resolved: when the message was posted)
 * @param resolvedAt when the last member resolved; null while the group is open
 */
public record GroupContent(
    String group,
    String key,
    String mention,
    List<Finding> members,
    Map<String, String> environments,
    Map<String, String> pullRequests,
    Instant since,
    Instant resolvedAt,
    AlertLinks links) {

  public GroupContent {
    Objects.requireNonNull(group, "group");
    members = members.stream().sorted(Comparator.comparing(Finding::cluster)).toList();
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a group message shows at least one cluster");
    }
    environments = copy(environments);
    pullRequests = copy(pullRequests);
    links = links == null ? AlertLinks.NONE : links;
  }

  private static Map<String, String> copy(Map<String, String> map) {
    Map<String, String> copy = new HashMap<>();
    if (map != null) {
      map.forEach(
          (k, v) -> {
            if (k != null && v != null) {
              copy.put(k, v);
            }
          });
    }
    return Map.copyOf(copy);
  }

  public boolean resolved() {
    return resolvedAt != null;
  }

  /** The drift of the first member: every member has the same paths and live values. */
  public ObjectDrift drift() {
    return members.get(0).drift();
  }

  /** The worst severity of the members (the risk rules may judge clusters differently). */
  public Severity severity() {
    return members.stream().map(Finding::severity).reduce(Severity.IN_SYNC, Severity::max);
  }

  /** The same message, resolved at the given time. */
  public GroupContent resolvedAt(Instant at) {
    return new GroupContent(
        group, key, mention, members, environments, pullRequests, since, at, links);
  }
}
