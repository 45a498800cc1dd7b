package dev.fleetwarden.reconcile;

import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.ledger.AlertStates;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.Outbox;
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
import java.util.List;
import java.util.Map;

/**
 * Turns the ledger's scan outcomes into alert messages in its outbox. Alert identity follows a
 * drift across changes: when the ledger supersedes a fingerprint, the alert message of the old one
 * is carried over to the new one, so the same Slack message is updated instead of a new one posted.
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
   * Enqueues what a scan calls for: new alerts, updates with thread replies, resolved follow-ups,
   * reminders. {@code prUrls} gives the pull request URL of each fingerprint that has one.
   */
  public int onScan(Fleet fleet, ScanOutcome outcome, String revision, Map<String, String> prUrls) {
    ClusterSpec cluster = fleet.clusters().get(outcome.cluster());
    if (cluster == null) {
      return 0;
    }
    ClusterFindings findings =
        new ClusterFindings(
            ClusterContext.of(cluster, fleet.addonsOf(cluster)), outcome, revision, null, prUrls);
    AlertPlan plan = planner(fleet).plan(findings, AlertPlanner.statesFor(findings, states));
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
