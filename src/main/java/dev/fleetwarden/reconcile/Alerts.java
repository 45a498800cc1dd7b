package dev.fleetwarden.reconcile;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStates;
import dev.fleetwarden.ledger.DriftGroups;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.FindingGroup;
import dev.fleetwarden.ledger.Outbox;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.ledger.PullRequests;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.notify.AlertPlan;
import dev.fleetwarden.notify.AlertPlanner;
import dev.fleetwarden.notify.AlertRouter;
import dev.fleetwarden.notify.ClusterContext;
import dev.fleetwarden.notify.ClusterFindings;
import dev.fleetwarden.notify.FleetGroups;
import dev.fleetwarden.notify.GroupPlanner;
import dev.fleetwarden.notify.GroupScan;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the ledger's scan outcomes into alert messages in its outbox: one message per fleet-wide
 * group and channel for the drift several clusters share ({@link GroupPlanner}), and one incident
 * message per cluster and channel for the rest ({@link AlertPlanner}), built from every open
 * finding of the fleet, since a watch verdict's outcome covers only the objects it judged. A drift
 * alerted on its own before incidents existed keeps its message across changes: when the ledger
 * supersedes its fingerprint, the alert state of the old one is carried over to the new one.
 */
public final class Alerts {
  private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

  private final AlertStates states;
  private final Outbox outbox;
  private final PullRequests pullRequests;
  private final String fallbackChannel;
  private final Duration reminderAfter;
  private volatile Runnable enqueued = () -> {};
  // Keys of findings of scans still to be alerted in the current batch that a group message told
  // already (guarded by this: onScan is synchronized).
  private final Set<String> toldAhead = new HashSet<>();

  /**
   * @param fallbackChannel where drift goes that no route of fleet.yaml matches (null: nowhere)
   * @param reminderAfter remind in the thread after this long (null: never)
   */
  public Alerts(AlertStates states, Outbox outbox, String fallbackChannel, Duration reminderAfter) {
    this(states, outbox, null, fallbackChannel, reminderAfter);
  }

  /**
   * @param pullRequests where the pull requests of clusters other than the scanned one are read
   *     (their incident and group messages show them); null: those messages show none
   * @param fallbackChannel where drift goes that no route of fleet.yaml matches (null: nowhere)
   * @param reminderAfter remind in the thread after this long (null: never)
   */
  public Alerts(
      AlertStates states,
      Outbox outbox,
      PullRequests pullRequests,
      String fallbackChannel,
      Duration reminderAfter) {
    this.states = states;
    this.outbox = outbox;
    this.pullRequests = pullRequests;
    this.fallbackChannel = fallbackChannel;
    this.reminderAfter = reminderAfter;
  }

  /**
   * Called after a scan or a watch verdict enqueued messages (to wake the dispatcher, so that an
   * alert leaves at once).
   */
  public void onEnqueued(Runnable callback) {
    this.enqueued = callback == null ? () -> {} : callback;
  }

  /** Routes come from the fleet repo, so they follow its commits. */
  private AlertRouter router(Fleet fleet) {
    return new AlertRouter(fleet == null ? List.of() : fleet.settings().routes(), fallbackChannel);
  }

  private AlertPlanner planner(Fleet fleet) {
    return new AlertPlanner(router(fleet), reminderAfter);
  }

  /**
   * Enqueues what a scan or a watch verdict calls for: in the fleet-wide group messages (the same
   * drift on several clusters, {@link GroupPlanner}) and in the incidents of the cluster (new
   * incident posts, edits with a thread reply per change, resolved follow-ups, reminders), with the
   * drifts a group message tells left out of the incidents ({@link FleetGroups}). A drift that a
   * group takes from another cluster's incident (the scanned cluster is the second to have it) is
   * told there as moved. Planning is serialized: the groups are read from the whole fleet.
   *
   * @param fleetOpen every finding open after the scan, of every cluster (both sources), from the
   *     ledger
   * @param prUrls the pull request URL of each fingerprint of the scanned cluster that has one
   */
  public int onScan(
      Fleet fleet,
      ScanOutcome outcome,
      List<Finding> fleetOpen,
      String revision,
      Map<String, String> prUrls) {
    return onScan(fleet, outcome, fleetOpen, List.of(), revision, prUrls);
  }

  /**
   * As {@link #onScan(Fleet, ScanOutcome, List, String, Map)}, for one of several scans recorded
   * together and alerted one after the other (a scan of the whole fleet).
   *
   * @param untold the new and changed findings of the scans alerted after this one: told nowhere
   *     yet, so no incident has them to give up, while the groups they form are known at once
   */
  public synchronized int onScan(
      Fleet fleet,
      ScanOutcome outcome,
      List<Finding> fleetOpen,
      Collection<Finding> untold,
      String revision,
      Map<String, String> prUrls) {
    String scanned = outcome.cluster();
    if (fleet.clusters().get(scanned) == null) {
      return 0;
    }
    Map<String, ClusterContext> contexts = contexts(fleet);
    AlertRouter router = router(fleet);
    List<AlertState> openGroupMessages = states.openOf(FleetGroups.CLUSTER);
    Set<String> told = new HashSet<>(GroupPlanner.groupsOf(openGroupMessages));
    // This scan's new findings that a group message of an earlier scan of the batch told already.
    Set<String> ahead = new HashSet<>();
    for (Finding f : outcome.newFindings()) {
      if (toldAhead.remove(FleetGroups.key(f))) {
        ahead.add(FleetGroups.key(f));
      }
    }
    for (ScanOutcome.Change c : outcome.changed()) {
      if (toldAhead.remove(FleetGroups.key(c.current()))) {
        ahead.add(FleetGroups.key(c.current()));
      }
    }
    // and those of later scans a group message told already
    ahead.addAll(toldAhead);
    FleetGroups groups = FleetGroups.of(fleetOpen, outcome, told, untold, ahead);
    // A group message still waiting in the outbox (posted by an earlier scan, not sent yet) is
    // told as much as one sent: its group keeps its last cluster too.
    GroupScan waitingScan = new GroupScan(groups, contexts, outcome.at(), revision, null, Map.of());
    for (String key : new GroupPlanner(router, reminderAfter).routedKeys(waitingScan)) {
      String group = GroupPlanner.groupOfKey(key);
      if (group != null
          && !told.contains(group)
          && outbox.hasUnsent(OutboxMessage.orderKey(FleetGroups.CLUSTER, key))) {
        told.add(group);
      }
    }
    if (told.size() > GroupPlanner.groupsOf(openGroupMessages).size()) {
      groups = FleetGroups.of(fleetOpen, outcome, told, untold, ahead);
    }
    System.err.println(
        "DBG "
            + scanned
            + " untold="
            + untold.size()
            + " ahead="
            + ahead
            + " toldAhead="
            + toldAhead
            + " before="
            + groups.before().values().stream().map(g -> g.clusters()).toList()
            + " after="
            + groups.after().values().stream().map(g -> g.clusters()).toList()
            + " news="
            + outcome.newFindings().stream().map(FleetGroups::key).toList());
    // Findings of later scans of the batch that a group message tells now: told ahead of their
    // own scan's turn, which must not tell them again as joining.
    toldAhead.retainAll(keys(untold));
    for (FindingGroup g : groups.after().values()) {
      for (Finding f : g.members()) {
        if (groups.untold().contains(FleetGroups.key(f))) {
          toldAhead.add(FleetGroups.key(f));
        }
      }
    }
    Map<String, Map<String, String>> urls = new HashMap<>();
    urls.put(scanned, prUrls == null ? Map.of() : prUrls);

    int added =
        groupMessages(
            router, groups, contexts, openGroupMessages, outcome, revision, urls, fleetOpen);
    AlertPlanner planner = new AlertPlanner(router, reminderAfter);
    added +=
        incident(
            planner,
            groups.incidentView(
                new ClusterFindings(
                    contexts.get(scanned),
                    outcome,
                    openOf(fleetOpen, scanned),
                    revision,
                    null,
                    urls.get(scanned))));
    for (String other : groups.otherClustersAffected(scanned)) {
      ClusterContext context = contexts.get(other);
      if (context == null) {
        continue;
      }
      List<Finding> open = openOf(fleetOpen, other);
      ScanOutcome unchanged =
          new ScanOutcome(
              other, outcome.at(), ClusterStatus.DRIFTED, List.of(), List.of(), List.of(), open);
      added +=
          incident(
              planner,
              groups.incidentView(
                  new ClusterFindings(
                      context,
                      unchanged,
                      open,
                      revision,
                      null,
                      pullRequestUrls(other, urls, fleetOpen))));
    }
    for (ScanOutcome.Change c : outcome.changed()) {
      carryOver(scanned, c.previous().fingerprint(), c.current().fingerprint());
    }
    if (added > 0) {
      enqueued.run();
    }
    return added;
  }

  private int groupMessages(
      AlertRouter router,
      FleetGroups groups,
      Map<String, ClusterContext> contexts,
      List<AlertState> openGroupMessages,
      ScanOutcome outcome,
      String revision,
      Map<String, Map<String, String>> urls,
      List<Finding> fleetOpen) {
    if (groups.before().isEmpty() && groups.after().isEmpty()) {
      return 0;
    }
    Map<String, String> memberUrls = new HashMap<>();
    for (Map<String, FindingGroup> side : List.of(groups.before(), groups.after())) {
      for (FindingGroup g : side.values()) {
        for (Finding f : g.members()) {
          String url = pullRequestUrls(f.cluster(), urls, fleetOpen).get(f.fingerprint());
          if (url != null) {
            memberUrls.put(f.fingerprint(), url);
          }
        }
      }
    }
    GroupPlanner planner = new GroupPlanner(router, reminderAfter);
    GroupScan scan = new GroupScan(groups, contexts, outcome.at(), revision, null, memberUrls);
    Map<String, AlertState> found = new HashMap<>();
    openGroupMessages.forEach(s -> found.put(s.fingerprint(), s));
    Set<String> waiting = new HashSet<>();
    for (String key : planner.routedKeys(scan)) {
      if (!found.containsKey(key)) {
        states.find(FleetGroups.CLUSTER, key).ifPresent(s -> found.put(key, s));
      }
      if (outbox.hasUnsent(OutboxMessage.orderKey(FleetGroups.CLUSTER, key))) {
        waiting.add(key);
      }
    }
    AlertPlan plan = planner.plan(scan, found, waiting);
    if (!plan.unrouted().isEmpty()) {
      LOG.warn("no route of fleet.yaml matches {}; add a catch-all route", plan.unrouted());
    }
    return plan.enqueueInto(outbox);
  }

  /** Plans and enqueues the incidents of one cluster's scan (as its incidents see it). */
  private int incident(AlertPlanner planner, ClusterFindings findings) {
    String cluster = findings.cluster().cluster();
    Set<String> waiting = new HashSet<>();
    for (String key : planner.incidentKeys(findings)) {
      if (outbox.hasUnsent(OutboxMessage.orderKey(cluster, key))) {
        waiting.add(key);
      }
    }
    return planner.plan(findings, planner.statesFor(findings, states), waiting).enqueueInto(outbox);
  }

  private static Set<String> keys(Collection<Finding> findings) {
    Set<String> keys = new HashSet<>();
    findings.forEach(f -> keys.add(FleetGroups.key(f)));
    return keys;
  }

  private static List<Finding> openOf(List<Finding> fleetOpen, String cluster) {
    return fleetOpen.stream().filter(f -> f.cluster().equals(cluster)).toList();
  }

  /** The open pull requests of a cluster by fingerprint (the scanned cluster's are given). */
  private Map<String, String> pullRequestUrls(
      String cluster, Map<String, Map<String, String>> urls, List<Finding> fleetOpen) {
    return urls.computeIfAbsent(
        cluster,
        c -> {
          Map<String, String> open = new HashMap<>();
          if (pullRequests != null) {
            for (PullRequestState pr : pullRequests.open(c)) {
              if (pr.url() != null) {
                open.put(pr.fingerprint(), pr.url());
              }
            }
            // A drift of a fleet-wide group links the group's one pull request.
            for (PullRequestState g : pullRequests.open(PullRequestState.FLEET)) {
              if (g.url() == null || !g.members().contains(c)) {
                continue;
              }
              for (Finding f : openOf(fleetOpen, c)) {
                if (g.fingerprint().equals(DriftGroups.fingerprintOf(f.drift()))) {
                  open.putIfAbsent(f.fingerprint(), g.url());
                }
              }
            }
          }
          return open;
        });
  }

  private static Map<String, ClusterContext> contexts(Fleet fleet) {
    Map<String, ClusterContext> clusters = new HashMap<>();
    fleet
        .clusters()
        .forEach((name, c) -> clusters.put(name, ClusterContext.of(c, fleet.addonsOf(c))));
    return clusters;
  }

  /** One message per broken commit, naming file and line of each error. */
  public int onBrokenCommit(Fleet fleet, String revision, List<RenderError> errors) {
    return planner(fleet).brokenCommit(revision, null, errors).enqueueInto(outbox);
  }

  /** The daily digest of the open findings per channel, for the clusters of the fleet. */
  public int digest(Fleet fleet, LocalDate day, Instant now, List<Finding> open) {
    return planner(fleet).digest(day, now, open, contexts(fleet)).enqueueInto(outbox);
  }

  private void carryOver(String cluster, String from, String to) {
    states
        .find(cluster, from)
        .filter(s -> states.find(cluster, to).isEmpty())
        .ifPresent(s -> states.save(s.movedTo(to)));
  }
}
