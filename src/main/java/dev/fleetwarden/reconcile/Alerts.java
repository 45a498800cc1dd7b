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
    return onScans(fleet, List.of(new Scanned(outcome, revision, prUrls)), fleetOpen);
  }

  /**
   * One recorded scan to alert on: what it changed, the fleet revision it judged, and the pull
   * request URL of each of its cluster's fingerprints that has one (null: none).
   */
  public record Scanned(ScanOutcome outcome, String revision, Map<String, String> prUrls) {}

  /**
   * As {@link #onScan}, for scans of several clusters recorded together (a scan of the whole
   * fleet): the groups are judged once, before all of them and after all of them, so that a drift
   * their clusters share is one group message from the first message on, never first an item of an
   * incident; then each scanned cluster's incident is planned, in the order given.
   */
  public synchronized int onScans(Fleet fleet, List<Scanned> scans, List<Finding> fleetOpen) {
    List<Scanned> known =
        scans.stream().filter(s -> fleet.clusters().get(s.outcome().cluster()) != null).toList();
    if (known.isEmpty()) {
      return 0;
    }
    Scanned last = known.get(known.size() - 1);
    Instant at = last.outcome().at();
    List<ScanOutcome> outcomes = known.stream().map(Scanned::outcome).toList();
    Map<String, ClusterContext> contexts = contexts(fleet);
    AlertRouter router = router(fleet);
    List<AlertState> openGroupMessages = states.openOf(FleetGroups.CLUSTER);
    Set<String> told = new HashSet<>(GroupPlanner.groupsOf(openGroupMessages));
    FleetGroups groups = FleetGroups.of(fleetOpen, outcomes, told);
    // A group message still waiting in the outbox (posted by an earlier scan, not sent yet) is
    // told as much as one sent: its group keeps its last cluster too.
    GroupScan waitingScan = new GroupScan(groups, contexts, at, last.revision(), null, Map.of());
    boolean waiting = false;
    for (String key : new GroupPlanner(router, reminderAfter).routedKeys(waitingScan)) {
      String group = GroupPlanner.groupOfKey(key);
      if (group != null
          && !told.contains(group)
          && outbox.hasUnsent(OutboxMessage.orderKey(FleetGroups.CLUSTER, key))) {
        waiting = told.add(group);
      }
    }
    if (waiting) {
      groups = FleetGroups.of(fleetOpen, outcomes, told);
    }
    Map<String, Map<String, String>> urls = new HashMap<>();
    for (Scanned scan : known) {
      urls.put(scan.outcome().cluster(), scan.prUrls() == null ? Map.of() : scan.prUrls());
    }

    int added =
        groupMessages(
            router, groups, contexts, openGroupMessages, at, last.revision(), urls, fleetOpen);
    AlertPlanner planner = new AlertPlanner(router, reminderAfter);
    Set<String> scanned = new HashSet<>();
    for (Scanned scan : known) {
      String cluster = scan.outcome().cluster();
      scanned.add(cluster);
      added +=
          incident(
              planner,
              groups.incidentView(
                  new ClusterFindings(
                      contexts.get(cluster),
                      scan.outcome(),
                      openOf(fleetOpen, cluster),
                      scan.revision(),
                      null,
                      urls.get(cluster))));
    }
    for (String other : groups.otherClustersAffected(scanned)) {
      ClusterContext context = contexts.get(other);
      if (context == null) {
        continue;
      }
      List<Finding> open = openOf(fleetOpen, other);
      ScanOutcome unchanged =
          new ScanOutcome(other, at, ClusterStatus.DRIFTED, List.of(), List.of(), List.of(), open);
      added +=
          incident(
              planner,
              groups.incidentView(
                  new ClusterFindings(
                      context,
                      unchanged,
                      open,
                      last.revision(),
                      null,
                      pullRequestUrls(other, urls, fleetOpen))));
    }
    for (ScanOutcome outcome : outcomes) {
      for (ScanOutcome.Change c : outcome.changed()) {
        carryOver(outcome.cluster(), c.previous().fingerprint(), c.current().fingerprint());
      }
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
      Instant at,
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
    GroupScan scan = new GroupScan(groups, contexts, at, revision, null, memberUrls);
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
