package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.DriftGroups;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.FindingGroup;
import dev.fleetwarden.ledger.ScanOutcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which open findings are told in a fleet-wide group message rather than in their cluster's
 * incident, before and after one scan (or watch verdict). Pure.
 *
 * <p>A group is told when two or more clusters have the same drift ({@link
 * DriftGroups#ofFindings}), and stays told while one of its clusters still has it, as long as it
 * was told before the scan (its message is open, or two or more clusters had it before the scan): a
 * group that shrinks to one cluster does not flap back into that cluster's incident; it leaves the
 * group message when it resolves. Whether the group was told before the scan is read from the
 * ledger (the open findings before the scan, rebuilt from the outcome as the incident planner does)
 * and from the open group messages, never from a separate membership table.
 *
 * <p>Several scans recorded together (a scan of the whole fleet) are judged as one: before all of
 * them and after all of them, so that a drift several of their clusters share is a group from its
 * first message.
 *
 * @param before the groups told before the scans, by group fingerprint
 * @param after the groups told after the scans, by group fingerprint
 */
public record FleetGroups(Map<String, FindingGroup> before, Map<String, FindingGroup> after) {

  /**
   * The pseudo-cluster that holds the alert states and outbox rows of the group messages: a name no
   * cluster can have (a cluster's name is its directory's).
   */
  public static final String CLUSTER = "fleet/groups";

  public FleetGroups {
    before = Map.copyOf(before);
    after = Map.copyOf(after);
  }

  /**
   * The groups before and after a scan.
   *
   * @param openNow the open findings of every cluster after the scan
   * @param outcome what the scan changed (of any cluster; its new and changed findings are among
   *     {@code openNow}); null when nothing was scanned
   * @param openMessages the group fingerprints with a group message shown open
   */
  public static FleetGroups of(
      Collection<Finding> openNow, ScanOutcome outcome, Set<String> openMessages) {
    return of(openNow, outcome == null ? List.of() : List.of(outcome), openMessages);
  }

  /**
   * The groups before and after several scans recorded together (of different clusters).
   *
   * @param outcomes what the scans changed (their new and changed findings are among {@code
   *     openNow})
   */
  public static FleetGroups of(
      Collection<Finding> openNow, List<ScanOutcome> outcomes, Set<String> openMessages) {
    List<Finding> openBefore = List.copyOf(openNow);
    for (ScanOutcome outcome : outcomes) {
      openBefore = openBefore(openBefore, outcome);
    }
    Map<String, FindingGroup> before = told(openBefore, openMessages);
    Map<String, FindingGroup> after = told(openNow, before.keySet());
    return new FleetGroups(before, after);
  }

  /** The open findings before a scan: those after it, minus what it added, plus what it took. */
  static List<Finding> openBefore(Collection<Finding> openNow, ScanOutcome outcome) {
    if (outcome == null) {
      return List.copyOf(openNow);
    }
    Set<String> added = new HashSet<>();
    outcome.newFindings().forEach(f -> added.add(f.fingerprint()));
    outcome.changed().forEach(c -> added.add(c.current().fingerprint()));
    List<Finding> before = new ArrayList<>();
    for (Finding f : openNow) {
      if (!(f.cluster().equals(outcome.cluster()) && added.contains(f.fingerprint()))) {
        before.add(f);
      }
    }
    outcome.changed().forEach(c -> before.add(reopened(c.previous())));
    outcome.resolved().forEach(f -> before.add(reopened(f)));
    return before;
  }

  /**
   * A finding as it was open before the scan (keeping what superseded it, for the group's note).
   */
  private static Finding reopened(Finding f) {
    return new Finding(
        f.cluster(),
        f.fingerprint(),
        f.drift(),
        f.firstSeen(),
        f.lastSeen(),
        null,
        f.firstRevision(),
        f.lastRevision(),
        f.supersededBy());
  }

  /**
   * The told groups among open findings: those of two or more clusters, and those of one cluster
   * whose fingerprint is in {@code kept}.
   */
  static Map<String, FindingGroup> told(Collection<Finding> open, Set<String> kept) {
    Map<String, FindingGroup> groups = new TreeMap<>();
    for (FindingGroup g : DriftGroups.ofFindings(open)) {
      groups.put(g.fingerprint(), g);
    }
    if (kept.isEmpty()) {
      return groups;
    }
    Map<String, Map<String, Finding>> single = new HashMap<>();
    for (Finding f : open) {
      if (!f.isOpen()) {
        continue;
      }
      String group = DriftGroups.fingerprintOf(f.drift());
      if (kept.contains(group) && !groups.containsKey(group)) {
        single
            .computeIfAbsent(group, k -> new TreeMap<>())
            .merge(f.cluster(), f, (a, b) -> a.lastSeen().isAfter(b.lastSeen()) ? a : b);
      }
    }
    single.forEach(
        (group, members) ->
            groups.put(group, new FindingGroup(group, List.copyOf(members.values()))));
    return groups;
  }

  /** The fingerprints of a cluster's findings told in a group before the scan. */
  public Set<String> toldBefore(String cluster) {
    return fingerprints(before, cluster);
  }

  /** The fingerprints of a cluster's findings told in a group after the scan. */
  public Set<String> toldAfter(String cluster) {
    return fingerprints(after, cluster);
  }

  private static Set<String> fingerprints(Map<String, FindingGroup> groups, String cluster) {
    Set<String> told = new HashSet<>();
    for (FindingGroup g : groups.values()) {
      for (Finding f : g.members()) {
        if (f.cluster().equals(cluster)) {
          told.add(f.fingerprint());
        }
      }
    }
    return told;
  }

  /**
   * The clusters other than {@code scanned} whose open findings entered or left a group with the
   * scan: their incidents change although they were not scanned (a drift they told now moves to a
   * group message).
   */
  public Set<String> otherClustersAffected(String scanned) {
    return otherClustersAffected(Set.of(scanned));
  }

  /** As {@link #otherClustersAffected(String)}, for several clusters scanned together. */
  public Set<String> otherClustersAffected(Set<String> scanned) {
    Set<String> clusters = new java.util.TreeSet<>();
    Map<String, String> beforeKeys = memberKeys(before);
    Map<String, String> afterKeys = memberKeys(after);
    Set<String> all = new HashSet<>(beforeKeys.keySet());
    all.addAll(afterKeys.keySet());
    for (String key : all) {
      String cluster = key.substring(0, key.indexOf('\n'));
      if (!scanned.contains(cluster) && beforeKeys.containsKey(key) != afterKeys.containsKey(key)) {
        clusters.add(cluster);
      }
    }
    return clusters;
  }

  private static Map<String, String> memberKeys(Map<String, FindingGroup> groups) {
    Map<String, String> keys = new HashMap<>();
    groups.forEach(
        (group, g) ->
            g.members().forEach(f -> keys.put(f.cluster() + "\n" + f.fingerprint(), group)));
    return keys;
  }

  /**
   * What a cluster's incidents see of a scan once the group messages took their drifts: findings
   * told in a group after the scan are left out of the open ones and of the outcome; those told in
   * the incident before and in a group now leave the incident as moved (named in {@link
   * ClusterFindings#movedToGroup}); those told in a group before and not now (a member whose drift
   * changed value) join the incident as new. Drifts a group told before and after are not the
   * incident's at all.
   *
   * @param scan the cluster's scan with every finding of the cluster
   */
  public ClusterFindings incidentView(ClusterFindings scan) {
    String cluster = scan.cluster().cluster();
    Set<String> toldBefore = toldBefore(cluster);
    Set<String> toldAfter = toldAfter(cluster);
    if (toldBefore.isEmpty() && toldAfter.isEmpty()) {
      return scan;
    }
    Map<String, String> groupLabels = labels(cluster);
    ScanOutcome o = scan.outcome();
    List<Finding> added = new ArrayList<>();
    List<ScanOutcome.Change> changed = new ArrayList<>();
    List<Finding> left = new ArrayList<>();
    Map<String, String> moved = new LinkedHashMap<>();
    Set<String> fresh = new HashSet<>();
    for (Finding f : o.newFindings()) {
      fresh.add(f.fingerprint());
      if (!toldAfter.contains(f.fingerprint())) {
        added.add(f);
      }
    }
    for (ScanOutcome.Change c : o.changed()) {
      fresh.add(c.current().fingerprint());
      boolean wasTold = toldBefore.contains(c.previous().fingerprint());
      boolean isTold = toldAfter.contains(c.current().fingerprint());
      if (!wasTold && !isTold) {
        changed.add(c);
      } else if (wasTold && !isTold) {
        added.add(c.current());
      } else if (!wasTold) {
        left.add(c.previous());
        moved.put(c.previous().fingerprint(), groupLabels.get(c.current().fingerprint()));
      }
    }
    for (Finding f : o.resolved()) {
      if (!toldBefore.contains(f.fingerprint())) {
        left.add(f);
      }
    }
    List<Finding> open = new ArrayList<>();
    List<Finding> stillOpen = new ArrayList<>();
    for (Finding f : scan.open()) {
      boolean isTold = toldAfter.contains(f.fingerprint());
      if (!isTold) {
        open.add(f);
      }
      if (fresh.contains(f.fingerprint())) {
        continue;
      }
      boolean wasTold = toldBefore.contains(f.fingerprint());
      if (wasTold && !isTold) {
        added.add(f);
      } else if (!wasTold && isTold) {
        left.add(f);
        moved.put(f.fingerprint(), groupLabels.get(f.fingerprint()));
      } else if (!isTold) {
        stillOpen.add(f);
      }
    }
    ScanOutcome view =
        new ScanOutcome(cluster, o.at(), o.status(), added, changed, left, stillOpen);
    return new ClusterFindings(
        scan.cluster(), view, open, scan.commit(), scan.commitUrl(), scan.pullRequestUrls(), moved);
  }

  /** How an incident names the group a finding of the cluster moved to, by fingerprint. */
  private Map<String, String> labels(String cluster) {
    Map<String, String> labels = new HashMap<>();
    for (FindingGroup g : after.values()) {
      for (Finding f : g.members()) {
        if (f.cluster().equals(cluster)) {
          int n = g.members().size();
          labels.put(
              f.fingerprint(), g.resource() + " on " + n + (n == 1 ? " cluster" : " clusters"));
        }
      }
    }
    return labels;
  }
}
