package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStates;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Decides which Slack messages a scan calls for. Pure: the ledger's scan outcome and alert states
 * in, outbox messages out; the caller enqueues them ({@link AlertPlan#enqueueInto}).
 *
 * <p>Per cluster and fingerprint there is one alert message:
 *
 * <ul>
 *   <li>new drift: the alert is posted;
 *   <li>changed drift: the alert of the superseded fingerprint is edited and a thread reply says
 *       what changed (the caller then moves the alert state to the new fingerprint);
 *   <li>resolved drift: the alert is edited to "resolved" and a thread reply says when;
 *   <li>drift still open: nothing, except a thread reminder when {@code reminderAfter} has passed
 *       since the alert was posted or last reminded;
 *   <li>a drift seen open again after its alert showed it resolved: the alert is edited back and a
 *       thread reply says it is back.
 * </ul>
 *
 * <p>Dedup keys make planning idempotent: planning the same scan twice enqueues nothing new. When
 * no alert state exists yet (the post may still wait in the outbox), the post is planned again
 * under its fixed key, so it is enqueued at most once, and edits queue behind it.
 */
public final class AlertPlanner {
  private final AlertRouter router;
  private final Duration reminderAfter;

  /**
   * @param reminderAfter how long a drift stays open before a thread reminder (and between
   *     reminders); null or zero: no reminders
   */
  public AlertPlanner(AlertRouter router, Duration reminderAfter) {
    this.router = Objects.requireNonNull(router, "router");
    this.reminderAfter =
        reminderAfter == null || reminderAfter.isZero() || reminderAfter.isNegative()
            ? null
            : reminderAfter;
  }

  /**
   * The alert states a scan needs: one lookup per fingerprint in the outcome (a changed drift's
   * alert is that of the finding it superseded).
   */
  public static Map<String, AlertState> statesFor(ClusterFindings scan, AlertStates alerts) {
    Map<String, AlertState> states = new LinkedHashMap<>();
    ScanOutcome outcome = scan.outcome();
    List<String> fingerprints = new ArrayList<>();
    outcome.newFindings().forEach(f -> fingerprints.add(f.fingerprint()));
    outcome.changed().forEach(c -> fingerprints.add(c.previous().fingerprint()));
    outcome.resolved().forEach(f -> fingerprints.add(f.fingerprint()));
    outcome.stillOpen().forEach(f -> fingerprints.add(f.fingerprint()));
    for (String fp : fingerprints) {
      if (!states.containsKey(fp)) {
        alerts.find(scan.cluster().cluster(), fp).ifPresent(s -> states.put(fp, s));
      }
    }
    return states;
  }

  /**
   * Plans the messages of one cluster's scan.
   *
   * @param states the alert state of each fingerprint that has one (see {@link #statesFor})
   */
  public AlertPlan plan(ClusterFindings scan, Map<String, AlertState> states) {
    Plan plan = new Plan(scan);
    ScanOutcome outcome = scan.outcome();
    group(outcome.newFindings(), Finding::fingerprint)
        .forEach((fp, group) -> plan.added(fp, group, states.get(fp)));
    group(outcome.changed(), c -> c.previous().fingerprint())
        .forEach((fp, group) -> plan.changed(fp, group, states.get(fp)));
    group(outcome.resolved(), Finding::fingerprint)
        .forEach((fp, group) -> plan.resolved(fp, group, states.get(fp)));
    group(outcome.stillOpen(), Finding::fingerprint)
        .forEach((fp, group) -> plan.open(fp, group, states.get(fp)));
    return new AlertPlan(plan.messages, plan.unrouted);
  }

  /**
   * One message for a fleet commit that does not render, routed fleet-wide ({@link
   * AlertRouter#fleetWide()}); planned once per commit.
   */
  public AlertPlan brokenCommit(String commit, String commitUrl, List<RenderError> errors) {
    Objects.requireNonNull(commit, "commit");
    Optional<Route> route = router.fleetWide();
    if (route.isEmpty()) {
      return new AlertPlan(List.of(), List.of("commit " + commit));
    }
    SlackMessage m = SlackMessages.brokenCommit(commit, commitUrl, errors, route.get().mention());
    return new AlertPlan(
        List.of(
            new PlannedMessage("broken-commit:" + commit, standalone(route.get().channel(), m))),
        List.of());
  }

  /**
   * The daily digest: one message per channel that has open drifts routed to it, planned once per
   * channel and day.
   *
   * @param open the open findings
   * @param clusters the routing context of each cluster by name; findings of a cluster without one
   *     (no longer in the fleet) are left out
   */
  public AlertPlan digest(
      LocalDate day, Instant now, List<Finding> open, Map<String, ClusterContext> clusters) {
    Map<String, List<Finding>> byChannel = new TreeMap<>();
    List<String> unrouted = new ArrayList<>();
    for (Finding finding : open) {
      ClusterContext cluster = clusters.get(finding.cluster());
      if (cluster == null) {
        continue;
      }
      Optional<Route> route =
          router.route(
              cluster, cluster.ownerOf(finding.drift().addon()), finding.drift().severity());
      if (route.isEmpty()) {
        unrouted.add(finding.cluster() + "/" + finding.fingerprint());
        continue;
      }
      byChannel.computeIfAbsent(route.get().channel(), k -> new ArrayList<>()).add(finding);
    }
    List<PlannedMessage> messages = new ArrayList<>();
    byChannel.forEach(
        (channel, channelItems) ->
            messages.add(
                new PlannedMessage(
                    "digest:" + channel + ":" + day,
                    standalone(channel, SlackMessages.digest(day, now, channelItems)))));
    return new AlertPlan(messages, unrouted);
  }

  private static OutboxMessage standalone(String channel, SlackMessage m) {
    return new OutboxMessage(
        OutboxMessage.Kind.STANDALONE,
        null,
        null,
        channel,
        null,
        m.text(),
        m.blocksJson(),
        m.payloadHash());
  }

  private static <T> Map<String, List<T>> group(List<T> items, Function<T, String> key) {
    Map<String, List<T>> groups = new LinkedHashMap<>();
    for (T item : items) {
      groups.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
    }
    return groups;
  }

  /** The messages of one scan, built step by step. */
  private final class Plan {
    final ClusterFindings scan;
    final String cluster;
    final List<PlannedMessage> messages = new ArrayList<>();
    final List<String> unrouted = new ArrayList<>();

    Plan(ClusterFindings scan) {
      this.scan = scan;
      this.cluster = scan.cluster().cluster();
    }

    void added(String fp, List<Finding> group, AlertState state) {
      AlertContent content = openContent(fp, group);
      if (content == null) {
        return;
      }
      SlackMessage alert = SlackMessages.alert(content);
      if (state == null) {
        post(fp, content, alert, AlertStatus.OPEN);
      } else if (state.status() == AlertStatus.RESOLVED) {
        reopen(fp, content, alert);
      } else if (!alert.payloadHash().equals(state.payloadHash())) {
        // The lifecycle calls it new but an open alert exists: refresh it quietly.
        update(fp, content, alert, AlertStatus.OPEN);
      }
    }

    void changed(String fp, List<ScanOutcome.Change> group, AlertState state) {
      List<ObjectDrift> before = group.stream().map(c -> c.previous().drift()).toList();
      List<ObjectDrift> after = group.stream().map(c -> c.current().drift()).toList();
      Instant since = since(group.stream().map(ScanOutcome.Change::previous).toList());
      String pr = pullRequest(group.stream().map(ScanOutcome.Change::current).toList());
      Optional<Route> route = route(fp, after);
      if (route.isEmpty()) {
        return;
      }
      AlertContent newContent = content(fp, route.get(), after, since, pr);
      AlertContent oldContent = content(fp, route.get(), before, since, pr);
      SlackMessage alert = SlackMessages.alert(newContent);
      if (state == null) {
        post(fp, newContent, alert, AlertStatus.OPEN);
      } else if (state.status() == AlertStatus.OPEN
          && alert.payloadHash().equals(state.payloadHash())) {
        return;
      }
      update(fp, newContent, alert, AlertStatus.OPEN);
      SlackMessage note = SlackMessages.changeNote(oldContent, newContent, scan.scannedAt());
      add(
          "changed:" + cluster + ":" + fp + ":" + alert.payloadHash() + ":" + scan.scannedAt(),
          OutboxMessage.Kind.THREAD_REPLY,
          fp,
          route.get().channel(),
          null,
          note);
    }

    void resolved(String fp, List<Finding> group, AlertState state) {
      if (state != null && state.status() == AlertStatus.RESOLVED) {
        return;
      }
      List<ObjectDrift> drifts = group.stream().map(Finding::drift).toList();
      Instant since = since(group);
      Instant resolvedAt =
          group.stream()
              .map(f -> f.resolvedAt() != null ? f.resolvedAt() : scan.scannedAt())
              .max(Comparator.naturalOrder())
              .orElseThrow();
      String pr = pullRequest(group);
      Optional<Route> route = route(fp, drifts);
      if (route.isEmpty()) {
        return;
      }
      AlertContent content = content(fp, route.get(), drifts, since, pr).resolvedAt(resolvedAt);
      SlackMessage alert = SlackMessages.alert(content);
      if (state == null) {
        post(fp, content, alert, AlertStatus.RESOLVED);
      }
      add(
          "resolve:" + cluster + ":" + fp + ":" + resolvedAt,
          OutboxMessage.Kind.UPDATE,
          fp,
          route.get().channel(),
          AlertStatus.RESOLVED,
          alert);
      add(
          "resolved-note:" + cluster + ":" + fp + ":" + resolvedAt,
          OutboxMessage.Kind.THREAD_REPLY,
          fp,
          route.get().channel(),
          null,
          SlackMessages.resolvedNote(content));
    }

    void open(String fp, List<Finding> group, AlertState state) {
      AlertContent content = openContent(fp, group);
      if (content == null) {
        return;
      }
      if (state == null) {
        // Posted at most once thanks to its fixed key; covers a post still waiting in the outbox.
        post(fp, content, SlackMessages.alert(content), AlertStatus.OPEN);
        return;
      }
      if (state.status() == AlertStatus.RESOLVED) {
        reopen(fp, content, SlackMessages.alert(content));
        return;
      }
      Instant last = state.remindedAt() != null ? state.remindedAt() : state.createdAt();
      if (reminderAfter != null
          && state.ts() != null
          && last != null
          && !scan.scannedAt().isBefore(last.plus(reminderAfter))) {
        add(
            "reminder:" + cluster + ":" + fp + ":" + last,
            OutboxMessage.Kind.REMINDER,
            fp,
            state.channel(),
            null,
            SlackMessages.reminder(content, scan.scannedAt()));
      }
    }

    private void post(String fp, AlertContent content, SlackMessage alert, AlertStatus status) {
      add(
          "alert:" + cluster + ":" + fp,
          OutboxMessage.Kind.ALERT,
          fp,
          channelOf(content),
          status,
          alert);
    }

    private void update(String fp, AlertContent content, SlackMessage alert, AlertStatus status) {
      add(
          "update:" + cluster + ":" + fp + ":" + alert.payloadHash() + ":" + scan.scannedAt(),
          OutboxMessage.Kind.UPDATE,
          fp,
          channelOf(content),
          status,
          alert);
    }

    private void reopen(String fp, AlertContent content, SlackMessage alert) {
      update(fp, content, alert, AlertStatus.OPEN);
      add(
          "reopened:" + cluster + ":" + fp + ":" + scan.scannedAt(),
          OutboxMessage.Kind.THREAD_REPLY,
          fp,
          channelOf(content),
          null,
          SlackMessages.reopenedNote(content, scan.scannedAt()));
    }

    /** The channel an alert was routed to, remembered by {@link #route}. */
    private final Map<String, String> channels = new LinkedHashMap<>();

    private String channelOf(AlertContent content) {
      return channels.get(content.fingerprint());
    }

    private AlertContent openContent(String fp, List<Finding> group) {
      List<ObjectDrift> drifts = group.stream().map(Finding::drift).toList();
      Instant since = since(group);
      String pr = pullRequest(group);
      Optional<Route> route = route(fp, drifts);
      return route.map(r -> content(fp, r, drifts, since, pr)).orElse(null);
    }

    /** Since when the drifts of one message are open: the earliest first sighting. */
    private Instant since(List<Finding> group) {
      return group.stream()
          .map(Finding::firstSeen)
          .filter(Objects::nonNull)
          .min(Comparator.naturalOrder())
          .orElse(null);
    }

    private String pullRequest(List<Finding> group) {
      return group.stream()
          .map(f -> scan.pullRequestUrl(f.fingerprint()))
          .filter(Objects::nonNull)
          .findFirst()
          .orElse(null);
    }

    private Optional<Route> route(String fp, List<ObjectDrift> drifts) {
      ObjectDrift first = drifts.get(0);
      Severity severity =
          drifts.stream().map(ObjectDrift::severity).reduce(Severity.IN_SYNC, Severity::max);
      Optional<Route> route =
          router.route(scan.cluster(), scan.cluster().ownerOf(first.addon()), severity);
      if (route.isEmpty()) {
        unrouted.add(fp);
      } else {
        channels.put(fp, route.get().channel());
      }
      return route;
    }

    private AlertContent content(
        String fp, Route route, List<ObjectDrift> drifts, Instant since, String pr) {
      return new AlertContent(
          cluster,
          scan.cluster().environment(),
          fp,
          route.mention(),
          drifts,
          since,
          null,
          new AlertLinks(scan.commit(), scan.commitUrl(), pr));
    }

    private void add(
        String key,
        OutboxMessage.Kind kind,
        String fp,
        String channel,
        AlertStatus status,
        SlackMessage m) {
      messages.add(
          new PlannedMessage(
              key,
              new OutboxMessage(
                  kind, cluster, fp, channel, status, m.text(), m.blocksJson(), m.payloadHash())));
    }
  }
}
