package dev.fleetwarden.remediate;

import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetSettings;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.Remediation;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.ledger.PullRequests;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle of remediation pull requests, one per cluster and drift fingerprint, idempotent
 * across scans:
 *
 * <ul>
 *   <li>a new drift whose policy is {@code pull-request} gets a branch {@code
 *       fleetwarden/drift/<cluster>/<short fingerprint>} with one commit and a pull request;
 *   <li>the same drift again: nothing (its open pull request is found in the state, or on the host
 *       by its branch when the state was lost);
 *   <li>a changed drift of the same object: the branch is force-updated and the PR gets a comment;
 *   <li>a drift that went away: its PR is closed with a comment and its branch deleted;
 *   <li>a PR found merged is reported as resolved by merge, one closed by a person as such.
 * </ul>
 *
 * Every step's result is returned as a {@link PrOutcome}; a failing step fails its drift only and
 * is retried on the next scan.
 */
public final class PullRequestManager {
  private final BranchPublisher git;
  private final PullRequestHost host;
  private final PullRequests state;
  private final RemediationPlanner planner;
  private final FleetSettings.PullRequestSettings settings;

  public PullRequestManager(
      BranchPublisher git,
      PullRequestHost host,
      PullRequests state,
      RemediationPlanner planner,
      FleetSettings.PullRequestSettings settings) {
    this.git = git;
    this.host = host;
    this.state = state;
    this.planner = planner;
    this.settings = settings;
  }

  /** Acts on one cluster's scan, with no alert links in the pull requests. */
  public List<PrOutcome> reconcile(String cluster, boolean complete, List<Finding> drifts) {
    return reconcile(cluster, complete, drifts, Map.of());
  }

  /**
   * Acts on one cluster's scan.
   *
   * @param cluster the cluster scanned
   * @param complete false when the scan could not judge the cluster (failed render, unreachable
   *     cluster): then nothing is opened or closed
   * @param drifts every open finding of the cluster after the scan
   * @param alertUrls the URL of each fingerprint's alert, linked from a new pull request
   */
  public List<PrOutcome> reconcile(
      String cluster, boolean complete, List<Finding> drifts, Map<String, String> alertUrls) {
    List<PrOutcome> out = new ArrayList<>();
    if (!complete) {
      return out;
    }
    Map<String, Finding> current = new LinkedHashMap<>();
    for (Finding d : drifts) {
      if (d.drift().resource().cluster().equals(cluster)) {
        current.putIfAbsent(d.fingerprint(), d);
      }
    }
    List<PullRequestState> open = refreshOpen(cluster, out);
    Set<String> handled = new HashSet<>();
    Base base = new Base();
    for (Finding d : current.values()) {
      try {
        PrOutcome o =
            onDrift(cluster, d, alertUrls.get(d.fingerprint()), current, open, handled, base);
        if (o != null) {
          out.add(o);
        }
      } catch (BranchPublisher.PublishException | PullRequestHost.HostException e) {
        out.add(outcome(d, PrOutcome.Action.FAILED, 0, e.getMessage()));
      }
    }
    for (PullRequestState r : open) {
      if (handled.contains(r.fingerprint()) || current.containsKey(r.fingerprint())) {
        continue;
      }
      try {
        host.close(r.number(), PullRequestText.resolvedComment(r));
        state.save(r.with(PullRequestState.Status.CLOSED_RESOLVED));
        git.delete(r.branch());
        out.add(
            new PrOutcome(
                cluster,
                r.fingerprint(),
                r.resource(),
                PrOutcome.Action.CLOSED,
                r.number(),
                "the drift is gone"));
      } catch (BranchPublisher.PublishException | PullRequestHost.HostException e) {
        out.add(
            new PrOutcome(
                cluster,
                r.fingerprint(),
                r.resource(),
                PrOutcome.Action.FAILED,
                r.number(),
                e.getMessage()));
      }
    }
    return out;
  }

  /** Open records, after asking the host whether each is still open. */
  private List<PullRequestState> refreshOpen(String cluster, List<PrOutcome> out) {
    List<PullRequestState> stillOpen = new ArrayList<>();
    for (PullRequestState r : state.open(cluster)) {
      try {
        PullRequestHost.PullRequest pr = host.get(r.number());
        if (pr.status() == PullRequestHost.Status.MERGED) {
          state.save(r.with(PullRequestState.Status.MERGED));
          out.add(
              new PrOutcome(
                  cluster,
                  r.fingerprint(),
                  r.resource(),
                  PrOutcome.Action.RESOLVED_BY_MERGE,
                  r.number(),
                  "merged: the fleet repo adopted the live value"));
        } else if (pr.status() == PullRequestHost.Status.CLOSED) {
          state.save(r.with(PullRequestState.Status.CLOSED_BY_REVIEWER));
          out.add(
              new PrOutcome(
                  cluster,
                  r.fingerprint(),
                  r.resource(),
                  PrOutcome.Action.CLOSED_BY_REVIEWER,
                  r.number(),
                  "closed without merging: Git's value stays"));
        } else {
          stillOpen.add(r);
        }
      } catch (PullRequestHost.HostException e) {
        // unknown state: keep it open and leave it alone this time
        stillOpen.add(r);
      }
    }
    return stillOpen;
  }

  private PrOutcome onDrift(
      String cluster,
      Finding d,
      String alertUrl,
      Map<String, Finding> current,
      List<PullRequestState> open,
      Set<String> handled,
      Base base)
      throws BranchPublisher.PublishException, PullRequestHost.HostException {
    Optional<PullRequestState> known = state.find(cluster, d.fingerprint());
    if (known.isPresent() && known.get().status() != PullRequestState.Status.CLOSED_RESOLVED) {
      PullRequestState r = known.get();
      handled.add(r.fingerprint());
      return switch (r.status()) {
        case OPEN -> outcome(d, PrOutcome.Action.UNCHANGED, r.number(), "pull request is open");
        case MERGED ->
            outcome(d, PrOutcome.Action.UNCHANGED, r.number(), "merged; the next render adopts it");
        default ->
            outcome(
                d,
                PrOutcome.Action.ALERT_ONLY,
                r.number(),
                "a reviewer closed the pull request: Git's value stays");
      };
    }
    Fleet fleet = base.fleet();
    if (policy(fleet, d) != Remediation.PULL_REQUEST) {
      return outcome(
          d, PrOutcome.Action.NOT_REQUESTED, 0, "remediation policy is not pull-request");
    }
    PullRequestState previous = changedFrom(d, current, open, handled);
    RemediationPlan plan = planner.plan(base.checkout().root(), fleet, d.drift(), d.fingerprint());
    if (plan instanceof AlertOnly alert) {
      if (previous != null) {
        host.close(previous.number(), PullRequestText.unadoptableComment(alert.reason()));
        state.save(previous.with(PullRequestState.Status.CLOSED_RESOLVED));
        git.delete(previous.branch());
      }
      return outcome(d, PrOutcome.Action.ALERT_ONLY, 0, alert.reason());
    }
    ChangeSet change = (ChangeSet) plan;
    String message = PullRequestText.commitMessage(d, change);
    String baseCommit = base.checkout().commit();
    if (previous != null) {
      String commit = git.publish(previous.branch(), baseCommit, change.files(), message, true);
      host.comment(previous.number(), PullRequestText.changedComment(d, change));
      state.delete(cluster, previous.fingerprint());
      state.save(
          new PullRequestState(
              cluster,
              d.fingerprint(),
              previous.resource(),
              previous.branch(),
              previous.number(),
              previous.url(),
              commit,
              PullRequestState.Status.OPEN,
              null));
      return outcome(d, PrOutcome.Action.UPDATED, previous.number(), "branch " + previous.branch());
    }
    String branch = PullRequestText.branch(cluster, d.fingerprint());
    Optional<PullRequestHost.PullRequest> existing = host.findOpen(branch);
    if (existing.isPresent()) {
      PullRequestHost.PullRequest pr = existing.get();
      state.save(
          new PullRequestState(
              cluster,
              d.fingerprint(),
              d.drift().resource().toString(),
              branch,
              pr.number(),
              pr.url(),
              git.remoteHead(branch).orElse(null),
              PullRequestState.Status.OPEN,
              null));
      return outcome(d, PrOutcome.Action.UNCHANGED, pr.number(), "found open pull request");
    }
    // A branch without an open PR is a leftover of an interrupted run of ours: replace it.
    boolean force = git.remoteHead(branch).isPresent();
    String commit = git.publish(branch, baseCommit, change.files(), message, force);
    PullRequestHost.PullRequest pr =
        host.create(
            new PullRequestHost.NewPullRequest(
                branch,
                settings.baseBranch(),
                PullRequestText.title(d.drift()),
                PullRequestText.body(d, alertUrl, change),
                settings.labels()));
    state.save(
        new PullRequestState(
            cluster,
            d.fingerprint(),
            d.drift().resource().toString(),
            branch,
            pr.number(),
            pr.url(),
            commit,
            PullRequestState.Status.OPEN,
            null));
    return outcome(d, PrOutcome.Action.CREATED, pr.number(), change.how());
  }

  /** The open PR of the same object whose drift is not in this scan any more: a changed drift. */
  private static PullRequestState changedFrom(
      Finding d, Map<String, Finding> current, List<PullRequestState> open, Set<String> handled) {
    String resource = d.drift().resource().toString();
    for (PullRequestState r : open) {
      if (resource.equals(r.resource())
          && !current.containsKey(r.fingerprint())
          && !handled.contains(r.fingerprint())) {
        handled.add(r.fingerprint());
        return r;
      }
    }
    return null;
  }

  private static Remediation policy(Fleet fleet, Finding d) {
    ClusterSpec cluster = fleet.clusters().get(d.drift().resource().cluster());
    if (cluster == null) {
      return Remediation.ALERT;
    }
    AddonSpec addon = d.drift().addon() == null ? null : fleet.addons().get(d.drift().addon());
    return fleet.remediation(cluster, addon);
  }

  private static PrOutcome outcome(Finding d, PrOutcome.Action action, int number, String why) {
    return new PrOutcome(
        d.drift().resource().cluster(),
        d.fingerprint(),
        d.drift().resource().toString(),
        action,
        number,
        why);
  }

  /** The base checkout and fleet, fetched once per scan and only when a drift needs them. */
  private final class Base {
    private BranchPublisher.BaseCheckout checkout;
    private Fleet fleet;

    BranchPublisher.BaseCheckout checkout() throws BranchPublisher.PublishException {
      if (checkout == null) {
        checkout = git.fetchBase();
      }
      return checkout;
    }

    Fleet fleet() throws BranchPublisher.PublishException {
      if (fleet == null) {
        try {
          fleet = FleetLoader.load(checkout().root());
        } catch (FleetValidationException e) {
          throw new BranchPublisher.PublishException(
              null,
              "the fleet repo's base branch does not load, so no pull request can be built: "
                  + e.getMessage(),
              e);
        }
      }
      return fleet;
    }
  }
}
