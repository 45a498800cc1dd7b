package dev.fleetwarden.reconcile;

import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.notify.AlertPlan;
import dev.fleetwarden.notify.AlertPlanner;
import dev.fleetwarden.notify.AlertRouter;
import dev.fleetwarden.notify.AlertState;
import dev.fleetwarden.notify.AlertStatePort;
import dev.fleetwarden.notify.ChangedFinding;
import dev.fleetwarden.notify.ClusterContext;
import dev.fleetwarden.notify.ClusterFindings;
import dev.fleetwarden.notify.DigestItem;
import dev.fleetwarden.notify.Finding;
import dev.fleetwarden.notify.OutboxPort;
import dev.fleetwarden.notify.ResolvedFinding;
import dev.fleetwarden.store.ScanOutcome;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns scan outcomes from the store into alert messages in the outbox. Alert identity follows a
 * drift across changes: when the store supersedes a fingerprint, the alert message of the old one
 * is carried over to the new one, so the same Slack message is updated instead of a new one posted.
 */
public final class Alerts {
  private final AlertStatePort states;
  private final OutboxPort outbox;
  private final String fallbackChannel;
  private final java.time.Duration reminderAfter;

  /**
   * @param fallbackChannel where drift goes that no route of fleet.yaml matches (null: nowhere)
   * @param reminderAfter remind in the thread after this long (null: never)
   */
  public Alerts(
      AlertStatePort states,
      OutboxPort outbox,
      String fallbackChannel,
      java.time.Duration reminderAfter) {
    this.states = states;
    this.outbox = outbox;
    this.fallbackChannel = fallbackChannel;
    this.reminderAfter = reminderAfter;
  }

  /** Routes come from the fleet repo, so they follow its commits. */
  private AlertPlanner planner(Fleet fleet) {
    return new AlertPlanner(
        new AlertRouter(fleet == null ? List.of() : fleet.settings().routes(), fallbackChannel),
        reminderAfter);
  }

  /**
   * Enqueues what a scan calls for: new alerts, updates with thread replies, resolved follow-ups,
   * reminders. {@code prUrl} gives the pull request of a fingerprint, or null.
   */
  public int onScan(
      Fleet fleet, ScanOutcome outcome, String revision, Function<String, String> prUrl) {
    ClusterSpec cluster = fleet.clusters().get(outcome.cluster());
    if (cluster == null) {
      return 0;
    }
    ClusterContext context = ClusterContext.of(cluster, fleet.addonsOf(cluster));
    ClusterFindings findings =
        new ClusterFindings(
            context,
            outcome.at(),
            revision,
            null,
            outcome.newFindings().stream().map(f -> finding(f, prUrl)).toList(),
            outcome.changed().stream()
                .map(
                    c ->
                        new ChangedFinding(
                            c.previous().fingerprint(),
                            c.previous().drift(),
                            c.current().drift(),
                            c.previous().firstSeen(),
                            prUrl.apply(c.current().fingerprint())))
                .toList(),
            outcome.resolved().stream()
                .map(
                    f ->
                        new ResolvedFinding(
                            f.fingerprint(),
                            f.drift(),
                            f.firstSeen(),
                            f.resolvedAt() == null ? outcome.at() : f.resolvedAt(),
                            prUrl.apply(f.fingerprint())))
                .toList(),
            outcome.stillOpen().stream().map(f -> finding(f, prUrl)).toList());
    AlertPlan plan = planner(fleet).plan(findings, AlertPlanner.statesFor(findings, states));
    int added = plan.enqueueInto(outbox);
    for (ScanOutcome.Change c : outcome.changed()) {
      carryOver(outcome.cluster(), c.previous().fingerprint(), c.current().fingerprint());
    }
    return added;
  }

  /** One message per broken commit, naming file and line of each error. */
  public int onBrokenCommit(Fleet fleet, String revision, List<RenderError> errors) {
    return planner(fleet).brokenCommit(revision, null, errors).enqueueInto(outbox);
  }

  /** The daily digest of open drift per channel. */
  public int digest(Fleet fleet, LocalDate day, Instant now, List<DigestItem> items) {
    return planner(fleet).digest(day, now, items).enqueueInto(outbox);
  }

  private void carryOver(String cluster, String from, String to) {
    states
        .find(cluster, from)
        .filter(s -> states.find(cluster, to).isEmpty())
        .ifPresent(
            s ->
                states.save(
                    new AlertState(
                        cluster,
                        to,
                        s.channel(),
                        s.ts(),
                        s.payloadHash(),
                        s.status(),
                        s.createdAt(),
                        s.updatedAt(),
                        s.remindedAt())));
  }

  private static Finding finding(dev.fleetwarden.store.Finding f, Function<String, String> prUrl) {
    return new Finding(f.fingerprint(), f.drift(), f.firstSeen(), prUrl.apply(f.fingerprint()));
  }

  /** Digest items for the open findings, with their cluster's routing context. */
  public static List<DigestItem> digestItems(
      Fleet fleet, List<dev.fleetwarden.store.Finding> open) {
    Map<String, ClusterSpec> clusters = fleet.clusters();
    return open.stream()
        .filter(f -> clusters.containsKey(f.cluster()))
        .map(
            f -> {
              ClusterSpec c = clusters.get(f.cluster());
              return new DigestItem(
                  ClusterContext.of(c, fleet.addonsOf(c)),
                  f.fingerprint(),
                  f.drift(),
                  f.firstSeen());
            })
        .toList();
  }
}
