package dev.fleetwarden.reconcile;

import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.ledger.AlertStates;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.Outbox;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.notify.AlertPlan;
import dev.fleetwarden.notify.AlertPlanner;
import dev.fleetwarden.notify.AlertRouter;
import dev.fleetwarden.notify.ClusterContext;
import dev.fleetwarden.notify.ClusterFindings;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the ledger's scan outcomes into alert messages in its outbox: one incident message per
 * cluster and channel ({@link AlertPlanner}), built from every open finding of the cluster, since a
 * watch verdict's outcome covers only the objects it judged. A drift alerted on its own before
 * incidents existed keeps its message across changes: when the ledger supersedes its fingerprint,
 * the alert state of the old one is carried over to the new one.
 */
public final class Alerts {
  private final AlertStates states;
  private final Outbox outbox;
  private final String fallbackChannel;
  private final Duration reminderAfter;
  private volatile Runnable enqueued = () -> {};

  /**
   * @param fallbackChannel where drift goes that no route of fleet.yaml matches (null: nowhere)
   * @param reminderAfter remind in the thread after this long (null: never)
   */
  public Alerts(AlertStates states, Outbox outbox, String fallbackChannel, Duration reminderAfter) {
    this.states = states;
    this.outbox = outbox;
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
  private AlertPlanner planner(Fleet fleet) {
    return new AlertPlanner(
        new AlertRouter(fleet == null ? List.of() : fleet.settings().routes(), fallbackChannel),
        reminderAfter);
  }

  /**
   * Enqueues what a scan or a watch verdict calls for in the cluster's incidents: new incident
   * posts, edits with a thread reply per change, resolved follow-ups, reminders.
   *
   * @param open every finding of the cluster open after the scan (both sources), from the ledger
   * @param prUrls the pull request URL of each fingerprint that has one
   */
  public int onScan(
      Fleet fleet,
      ScanOutcome outcome,
      List<Finding> open,
      String revision,
      Map<String, String> prUrls) {
    ClusterSpec cluster = fleet.clusters().get(outcome.cluster());
    if (cluster == null) {
      return 0;
    }
    ClusterFindings findings =
        new ClusterFindings(
            ClusterContext.of(cluster, fleet.addonsOf(cluster)),
            outcome,
            open,
            revision,
            null,
            prUrls);
    AlertPlanner planner = planner(fleet);
    Set<String> waiting = new HashSet<>();
    for (String key : planner.incidentKeys(findings)) {
      if (outbox.hasUnsent(OutboxMessage.orderKey(outcome.cluster(), key))) {
        waiting.add(key);
      }
    }
    AlertPlan plan = planner.plan(findings, planner.statesFor(findings, states), waiting);
    int added = plan.enqueueInto(outbox);
    for (ScanOutcome.Change c : outcome.changed()) {
      carryOver(outcome.cluster(), c.previous().fingerprint(), c.current().fingerprint());
    }
    if (added > 0) {
      enqueued.run();
    }
    return added;
  }

  /** One message per broken commit, naming file and line of each error. */
  public int onBrokenCommit(Fleet fleet, String revision, List<RenderError> errors) {
    return planner(fleet).brokenCommit(revision, null, errors).enqueueInto(outbox);
  }

  /** The daily digest of the open findings per channel, for the clusters of the fleet. */
  public int digest(Fleet fleet, LocalDate day, Instant now, List<Finding> open) {
    Map<String, ClusterContext> clusters = new HashMap<>();
    fleet
        .clusters()
        .forEach((name, c) -> clusters.put(name, ClusterContext.of(c, fleet.addonsOf(c))));
    return planner(fleet).digest(day, now, open, clusters).enqueueInto(outbox);
  }

  private void carryOver(String cluster, String from, String to) {
    states
        .find(cluster, from)
        .filter(s -> states.find(cluster, to).isEmpty())
        .ifPresent(s -> states.save(s.movedTo(to)));
  }
}
