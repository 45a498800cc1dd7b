package dev.fleetwarden.remediate;

import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetSettings;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.Remediation;
import dev.fleetwarden.ledger.DriftGroups;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.ledger.PullRequests;
import dev.fleetwarden.model.DriftSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
  private final GroupPlanner groups;
  private final IgnoreRulePlanner ignoreRules;

  /** A manager that never proposes ignore rules: every drift is adopted. */
  public PullRequestManager(
      BranchPublisher git,
      PullRequestHost host,
      PullRequests state,
      RemediationPlanner planner,
      FleetSettings.PullRequestSettings settings) {
    this(git, host, state, planner, settings, null);
  }

  /**
   * @param ignoreRules proposes an ignore rule instead of adopting a drift that many clusters share
   *     and only controllers wrote (null: never)
   */
  public PullRequestManager(
      BranchPublisher git,
      PullRequestHost host,
      PullRequests state,
      RemediationPlanner planner,
      FleetSettings.PullRequestSettings settings,
      IgnoreRulePlanner ignoreRules) {
    this.git = git;
    this.host = host;
    this.state = state;
    this.planner = planner;
    this.settings = settings;
    this.groups = new GroupPlanner(planner, planner.rerender());
    this.ignoreRules = ignoreRules;
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
    return reconcile(cluster, complete, drifts, alertUrls, drifts);
  }

  /**
   * Acts on one cluster's scan, knowing the open findings of the whole fleet: a drift that other
   * clusters share (a {@linkplain DriftGroups group}) gets the group's one pull request instead of
   * its own; the group's pull request is opened, updated when clusters join or leave, and closed
   * when the last one is back in sync.
   *
   * @param fleetOpen every open finding of the fleet (this cluster's included)
   */
  public List<PrOutcome> reconcile(
      String cluster,
      boolean complete,
      List<Finding> drifts,
      Map<String, String> alertUrls,
      List<Finding> fleetOpen) {
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
    Set<String> grouped = new HashSet<>();
    try {
      out.addAll(reconcileGroups(cluster, current, fleetOpen, base, grouped));
    } catch (BranchPublisher.PublishException | PullRequestHost.HostException e) {
      out.add(new PrOutcome(cluster, "", "", PrOutcome.Action.FAILED, 0, e.getMessage()));
      return out;
    }
    for (Finding d : current.values()) {
      if (grouped.contains(d.fingerprint())) {
        continue;
      }
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
      if (handled.contains(r.fingerprint())
          || current.containsKey(r.fingerprint())
          || r.status() != PullRequestState.Status.OPEN) {
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

  /**
   * The group pull requests this cluster takes part in: each drift of the cluster that other
   * clusters share, and each open group pull request that lists the cluster. The fingerprints of
   * the cluster's findings a group pull request covers are added to {@code grouped}.
   */
  private List<PrOutcome> reconcileGroups(
      String cluster,
      Map<String, Finding> current,
      List<Finding> fleetOpen,
      Base base,
      Set<String> grouped)
      throws BranchPublisher.PublishException, PullRequestHost.HostException {
    List<PrOutcome> out = new ArrayList<>();
    Map<String, Map<String, Finding>> scopes = new LinkedHashMap<>();
    for (Finding f : fleetOpen) {
      if (f.isOpen() && f.source() == DriftSource.KUBERNETES) {
        scopes
            .computeIfAbsent(DriftGroups.fingerprintOf(f.drift()), k -> new TreeMap<>())
            .putIfAbsent(f.cluster(), f);
      }
    }
    Map<String, Finding> mine = new LinkedHashMap<>();
    for (Finding d : current.values()) {
      if (d.source() == DriftSource.KUBERNETES) {
        mine.putIfAbsent(DriftGroups.fingerprintOf(d.drift()), d);
      }
    }
    Set<String> candidates = new TreeSet<>();
    for (Map.Entry<String, Finding> e : mine.entrySet()) {
      if (scopes.getOrDefault(e.getKey(), Map.of()).size() >= 2) {
        candidates.add(e.getKey());
      }
    }
    for (PullRequestState g : state.open(PullRequestState.FLEET)) {
      String gfp = groupOf(g);
      if (g.members().contains(cluster) || mine.containsKey(gfp)) {
        candidates.add(gfp);
      }
    }
    for (String gfp : candidates) {
      Optional<PullRequestState> known = state.find(PullRequestState.FLEET, gfp);
      Optional<PullRequestState> ignoring =
          ignoreRules == null
              ? Optional.empty()
              : state.find(PullRequestState.FLEET, IGNORE_KEY + gfp);
      boolean ignoreOpen =
          ignoring.isPresent() && ignoring.get().status() == PullRequestState.Status.OPEN;
      if (known.isEmpty() && !ignoreOpen && scopes.getOrDefault(gfp, Map.of()).size() < 2) {
        continue;
      }
      Fleet fleet = base.fleet();
      List<Finding> scope = new ArrayList<>();
      for (Finding f : scopes.getOrDefault(gfp, Map.of()).values()) {
        if (policy(fleet, f) == Remediation.PULL_REQUEST) {
          scope.add(f);
        }
      }
      Finding own = mine.get(gfp);
      // by identity in the ledger, not by instance: the fleet's findings are read apart from the
      // cluster's
      boolean ownInScope =
          own != null
              && scope.stream()
                  .anyMatch(
                      f ->
                          f.cluster().equals(own.cluster())
                              && f.fingerprint().equals(own.fingerprint()));
      if (ignoreRules != null
          && reconcileIgnore(
              gfp, scope, ignoring.orElse(null), known.orElse(null), fleet, fleetOpen, base, out)) {
        if (ownInScope) {
          grouped.add(own.fingerprint());
        }
        continue;
      }
      // the ignore step may have found the group's pull request merged or closed meanwhile
      PullRequestState g = state.find(PullRequestState.FLEET, gfp).orElse(null);
      if (g != null && g.status() == PullRequestState.Status.OPEN) {
        g = refreshGroup(g, out);
      }
      boolean live = g != null && g.status() == PullRequestState.Status.OPEN;
      if (!live && scope.size() < 2) {
        continue;
      }
      if (ownInScope) {
        grouped.add(own.fingerprint());
      }
      if (g != null && g.status() == PullRequestState.Status.MERGED) {
        out.add(groupOutcome(g, PrOutcome.Action.UNCHANGED, "merged; the next render adopts it"));
        continue;
      }
      if (g != null && g.status() == PullRequestState.Status.CLOSED_BY_REVIEWER) {
        out.add(
            groupOutcome(
                g, PrOutcome.Action.ALERT_ONLY, "a reviewer closed the group's pull request"));
        continue;
      }
      List<String> members = scope.stream().map(Finding::cluster).toList();
      if (live && scope.isEmpty()) {
        host.close(g.number(), PullRequestText.resolvedComment(g));
        state.save(g.with(PullRequestState.Status.CLOSED_RESOLVED));
        git.delete(g.branch());
        out.add(groupOutcome(g, PrOutcome.Action.CLOSED, "every cluster of the group is back"));
        continue;
      }
      if (live && members.equals(g.members())) {
        out.add(groupOutcome(g, PrOutcome.Action.UNCHANGED, "group pull request is open"));
        continue;
      }
      String branch = live ? g.branch() : PullRequestText.groupBranch(gfp);
      Optional<PullRequestHost.PullRequest> existing =
          live ? Optional.empty() : host.findOpen(branch);
      if (existing.isPresent()) {
        // the state was lost (a new database): follow the pull request found by its branch
        PullRequestHost.PullRequest pr = existing.get();
        PullRequestState found =
            openGroup(gfp, scope, branch, pr, git.remoteHead(branch).orElse(null), List.of());
        state.save(found);
        g = found;
        live = true;
      }
      GroupPlanner.Plan plan = groups.plan(base.checkout().root(), fleet, scope);
      if (plan.plan() instanceof AlertOnly alert) {
        out.add(
            new PrOutcome(
                PullRequestState.FLEET,
                gfp,
                scope.get(0).resource().withinCluster(),
                PrOutcome.Action.ALERT_ONLY,
                live ? g.number() : 0,
                alert.reason()));
        continue;
      }
      ChangeSet change = (ChangeSet) plan.plan();
      String message = PullRequestText.groupCommitMessage(gfp, scope, plan.layer(), change);
      String commit;
      PullRequestHost.PullRequest pr;
      PrOutcome.Action action;
      if (live) {
        commit = git.publish(branch, base.checkout().commit(), change.files(), message, true);
        host.comment(g.number(), PullRequestText.groupChangedComment(scope, plan.layer()));
        pr =
            new PullRequestHost.PullRequest(
                g.number(), g.url(), PullRequestHost.Status.OPEN, branch);
        action = PrOutcome.Action.UPDATED;
      } else {
        boolean force = git.remoteHead(branch).isPresent();
        commit = git.publish(branch, base.checkout().commit(), change.files(), message, force);
        pr =
            host.create(
                new PullRequestHost.NewPullRequest(
                    branch,
                    settings.baseBranch(),
                    PullRequestText.groupTitle(scope),
                    PullRequestText.groupBody(gfp, scope, plan.layer(), change),
                    settings.labels()));
        action = PrOutcome.Action.CREATED;
      }
      PullRequestState saved = openGroup(gfp, scope, branch, pr, commit, members);
      state.save(saved);
      out.add(groupOutcome(saved, action, plan.layer() + " for " + String.join(", ", members)));
      supersede(scope, saved, out);
    }
    return out;
  }

  /**
   * The ignore-rule pull request of a group, when the group is controller noise: opened instead of
   * the adoption pull request (which is closed if it was open), kept while any cluster has the
   * drift, closed when none has. A reviewer who closes it gets the adoption pull request instead.
   *
   * @return true when the ignore-rule pull request takes care of the group (nothing to adopt)
   */
  private boolean reconcileIgnore(
      String gfp,
      List<Finding> scope,
      PullRequestState ignoring,
      PullRequestState group,
      Fleet fleet,
      List<Finding> fleetOpen,
      Base base,
      List<PrOutcome> out)
      throws BranchPublisher.PublishException, PullRequestHost.HostException {
    PullRequestState r = ignoring;
    if (r != null && r.status() == PullRequestState.Status.OPEN) {
      r = refreshGroup(r, out);
    }
    List<String> members = scope.stream().map(Finding::cluster).toList();
    if (r != null) {
      switch (r.status()) {
        case OPEN -> {
          if (scope.isEmpty()) {
            host.close(r.number(), PullRequestText.resolvedComment(r));
            state.save(r.with(PullRequestState.Status.CLOSED_RESOLVED));
            git.delete(r.branch());
            out.add(groupOutcome(r, PrOutcome.Action.CLOSED, "the drift is gone on every cluster"));
          } else {
            boolean changed = !members.equals(r.members());
            // members unknown (found again by its branch after a lost state): nothing to tell
            boolean tell = changed && !r.members().isEmpty();
            if (tell) {
              host.comment(r.number(), PullRequestText.ignoreMembersComment(scope));
            }
            if (changed) {
              state.save(withMembers(r, members));
            }
            out.add(
                groupOutcome(
                    r,
                    tell ? PrOutcome.Action.UPDATED : PrOutcome.Action.UNCHANGED,
                    tell
                        ? "ignore-rule pull request: clusters now " + String.join(", ", members)
                        : "ignore-rule pull request is open"));
          }
          return true;
        }
        case MERGED -> {
          if (!scope.isEmpty()) {
            out.add(
                groupOutcome(r, PrOutcome.Action.UNCHANGED, "merged; the next scan ignores it"));
          }
          return true;
        }
        case CLOSED_BY_REVIEWER -> {
          return false;
        }
        case CLOSED_RESOLVED -> {
          // the drift came back after the pull request was closed: judged afresh below
        }
      }
    }
    if (scope.size() < 2) {
      return false;
    }
    if (group != null && group.status() == PullRequestState.Status.OPEN) {
      group = refreshGroup(group, out);
    }
    if (group != null && group.status() == PullRequestState.Status.MERGED) {
      return false; // the fleet repo adopted the value: the next render resolves the drift
    }
    IgnoreRulePlanner.Proposal p =
        ignoreRules.plan(base.checkout().root(), fleet, scope, fleetOpen);
    if (!p.proposed()) {
      return false;
    }
    String branch = PullRequestText.ignoreBranch(gfp);
    Optional<PullRequestHost.PullRequest> existing = host.findOpen(branch);
    PullRequestHost.PullRequest pr;
    String commit;
    PrOutcome.Action action;
    if (existing.isPresent()) {
      // the state was lost (a new database): follow the pull request found by its branch
      pr = existing.get();
      commit = git.remoteHead(branch).orElse(null);
      action = PrOutcome.Action.UNCHANGED;
    } else {
      boolean force = git.remoteHead(branch).isPresent();
      commit =
          git.publish(
              branch,
              base.checkout().commit(),
              new TreeMap<>(Map.of(p.file(), p.content())),
              PullRequestText.ignoreCommitMessage(gfp, scope, p),
              force);
      pr =
          host.create(
              new PullRequestHost.NewPullRequest(
                  branch,
                  settings.baseBranch(),
                  PullRequestText.ignoreTitle(scope, p),
                  PullRequestText.ignoreBody(gfp, scope, p),
                  settings.labels()));
      action = PrOutcome.Action.CREATED;
    }
    PullRequestState saved = openGroup(IGNORE_KEY + gfp, scope, branch, pr, commit, members);
    state.save(saved);
    out.add(
        groupOutcome(
            saved,
            action,
            "ignore rule by "
                + p.form().name().toLowerCase(java.util.Locale.ROOT)
                + " in "
                + p.file()
                + " for "
                + String.join(", ", members)));
    if (group != null && group.status() == PullRequestState.Status.OPEN) {
      host.close(group.number(), PullRequestText.ignoredInsteadComment(saved.url()));
      state.save(group.with(PullRequestState.Status.CLOSED_RESOLVED));
      git.delete(group.branch());
      out.add(
          groupOutcome(
              group,
              PrOutcome.Action.CLOSED,
              "superseded by the ignore-rule pull request #" + saved.number()));
    }
    supersede(scope, saved, PullRequestText.ignoredInsteadComment(saved.url()), out);
    return true;
  }

  /** The key under which a group's ignore-rule pull request is kept: this and the group's. */
  static final String IGNORE_KEY = "ignore-";

  /** The group a fleet-wide pull request belongs to (its adoption or its ignore rule). */
  private static String groupOf(PullRequestState fleetWide) {
    String fp = fleetWide.fingerprint();
    return fp.startsWith(IGNORE_KEY) ? fp.substring(IGNORE_KEY.length()) : fp;
  }

  private static PullRequestState withMembers(PullRequestState r, List<String> members) {
    return new PullRequestState(
        r.cluster(),
        r.fingerprint(),
        r.resource(),
        r.branch(),
        r.number(),
        r.url(),
        r.commit(),
        r.status(),
        null,
        members);
  }

  /**
   * The record of a group's open pull request, stored under {@code key} (the group's fingerprint,
   * or {@link #IGNORE_KEY} and it for an ignore-rule pull request).
   */
  private static PullRequestState openGroup(
      String key,
      List<Finding> scope,
      String branch,
      PullRequestHost.PullRequest pr,
      String commit,
      List<String> members) {
    return new PullRequestState(
        PullRequestState.FLEET,
        key,
        scope.get(0).resource().withinCluster(),
        branch,
        pr.number(),
        pr.url(),
        commit,
        PullRequestState.Status.OPEN,
        null,
        members);
  }

  /** Closes the clusters' own pull requests of drifts the group's pull request now adopts. */
  private void supersede(List<Finding> scope, PullRequestState group, List<PrOutcome> out)
      throws BranchPublisher.PublishException, PullRequestHost.HostException {
    supersede(scope, group, PullRequestText.supersededComment(group.url()), out);
  }

  /** Closes the clusters' own pull requests of drifts a fleet-wide pull request takes care of. */
  private void supersede(
      List<Finding> scope, PullRequestState group, String comment, List<PrOutcome> out)
      throws BranchPublisher.PublishException, PullRequestHost.HostException {
    for (Finding f : scope) {
      Optional<PullRequestState> own = state.find(f.cluster(), f.fingerprint());
      if (own.isPresent() && own.get().status() == PullRequestState.Status.OPEN) {
        PullRequestState r = own.get();
        host.close(r.number(), comment);
        state.save(r.with(PullRequestState.Status.CLOSED_RESOLVED));
        git.delete(r.branch());
        out.add(
            new PrOutcome(
                f.cluster(),
                f.fingerprint(),
                r.resource(),
                PrOutcome.Action.CLOSED,
                r.number(),
                "superseded by the fleet-wide pull request #" + group.number()));
      }
    }
  }

  private PullRequestState refreshGroup(PullRequestState g, List<PrOutcome> out) {
    try {
      PullRequestHost.PullRequest pr = host.get(g.number());
      if (pr.status() == PullRequestHost.Status.MERGED) {
        PullRequestState merged = g.with(PullRequestState.Status.MERGED);
        state.save(merged);
        out.add(groupOutcome(g, PrOutcome.Action.RESOLVED_BY_MERGE, "merged"));
        return merged;
      }
      if (pr.status() == PullRequestHost.Status.CLOSED) {
        PullRequestState closed = g.with(PullRequestState.Status.CLOSED_BY_REVIEWER);
        state.save(closed);
        out.add(groupOutcome(g, PrOutcome.Action.CLOSED_BY_REVIEWER, "closed without merging"));
        return closed;
      }
    } catch (PullRequestHost.HostException e) {
      // unknown state: keep it open this time
    }
    return g;
  }

  private static PrOutcome groupOutcome(PullRequestState g, PrOutcome.Action action, String why) {
    return new PrOutcome(g.cluster(), g.fingerprint(), g.resource(), action, g.number(), why);
  }

  /**
   * The pull request URL of each open finding of a cluster: its own pull request's, or its group's.
   */
  public Map<String, String> urls(String cluster, List<Finding> clusterOpen) {
    Map<String, String> urls = new java.util.HashMap<>();
    for (PullRequestState r : state.open(cluster)) {
      urls.put(r.fingerprint(), r.url());
    }
    for (PullRequestState g : state.open(PullRequestState.FLEET)) {
      if (!g.members().contains(cluster)) {
        continue;
      }
      for (Finding f : clusterOpen) {
        if (groupOf(g).equals(DriftGroups.fingerprintOf(f.drift()))) {
          urls.put(f.fingerprint(), g.url());
        }
      }
    }
    return urls;
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
