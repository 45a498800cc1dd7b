package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStates;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.Fingerprints;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.OutboxMessage.Kind;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.ResourceId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which Slack messages a scan calls for. Pure: the ledger's scan outcome, the cluster's
 * open findings and the alert states in, outbox messages out; the caller enqueues them ({@link
 * AlertPlan#enqueueInto}).
 *
 * <p>One <em>incident</em> per cluster and channel: the open drifts of a cluster that routing sends
 * to one channel share one message, keyed {@link #incidentKey}. Per scan and incident:
 *
 * <ul>
 *   <li>the first drift appears: the incident is posted, with the route's mention, listing every
 *       drift of the scan routed there;
 *   <li>drifts join, change or leave (back in sync, or now routed elsewhere) while others stay
 *       open: the message is edited to show the open drifts and one thread reply lists what
 *       changed;
 *   <li>the last drift leaves: the message is edited to "resolved" and a thread reply says when;
 *   <li>nothing changed: nothing, except a thread reminder when {@code reminderAfter} has passed
 *       since the incident was posted or last reminded, or a quiet edit when what the message shows
 *       differs from what it should show (a pull request opened since, say).
 * </ul>
 *
 * A drift that appears after the incident resolved opens a new incident: a new message, with the
 * mention again. Whether an incident was open before the scan is read from the ledger (the open
 * findings minus what the scan added, plus what it resolved), not from the alert state, which lags
 * behind the outbox; the alert state only says which message to edit and when it was reminded.
 *
 * <p>Dedup keys make planning idempotent: planning the same scan twice enqueues nothing new, and
 * messages of one incident go out in order (they share its outbox order key). An incident that
 * should be open but has no open message and nothing waiting in the outbox (its post lost before it
 * was enqueued, drift routed to a channel anew) gets its post planned, once per message it would
 * replace; the dispatcher posts it only when no open message of the incident exists by then. An
 * incident that resolves with no message and nothing waiting is not told at all.
 *
 * <p>Alerts posted per drift fingerprint before incidents existed keep their message: the drift is
 * left out of the incidents, and its message is edited to resolved when it resolves.
 *
 * <p>Drifts that a fleet-wide group message tells ({@link GroupPlanner}) are not the incidents':
 * the caller leaves them out of the scan ({@link FleetGroups#incidentView}); one that the incident
 * told before leaves it as "moved to a fleet-wide message", not as back in sync.
 */
public final class AlertPlanner {
  /** The start of every incident key (drift fingerprints are hexadecimal). */
  public static final String INCIDENT_PREFIX = "incident-";

  private final AlertRouter router;
  private final Duration reminderAfter;

  /**
   * @param reminderAfter how long an incident stays open before a thread reminder (and between
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
   * The key of the incident of a cluster in a channel, as kept in the alert states and the outbox
   * ({@value #INCIDENT_PREFIX} and a hash: it fits where a fingerprint fits).
   */
  public static String incidentKey(String cluster, String channel) {
    return INCIDENT_PREFIX
        + Fingerprints.sha256("fleetwarden-incident-v1\n" + cluster + "\n" + channel)
            .substring(0, Fingerprints.LENGTH);
  }

  /** The keys of the incidents a scan touches: those its drifts are routed to, before and after. */
  public Set<String> incidentKeys(ClusterFindings scan) {
    String cluster = scan.cluster().cluster();
    Set<String> keys = new LinkedHashSet<>();
    Plan view = new Plan(scan, Map.of(), Set.of());
    view.routed(view.openBefore.values())
        .keySet()
        .forEach(ch -> keys.add(incidentKey(cluster, ch)));
    view.routed(view.openNow.values()).keySet().forEach(ch -> keys.add(incidentKey(cluster, ch)));
    return keys;
  }

  /**
   * The alert states a scan needs: those of the incidents it touches ({@link #incidentKeys}), and
   * those of drifts alerted on their own before incidents existed. One lookup per incident and per
   * finding open, changed or resolved.
   */
  public Map<String, AlertState> statesFor(ClusterFindings scan, AlertStates alerts) {
    String cluster = scan.cluster().cluster();
    Set<String> keys = new LinkedHashSet<>(incidentKeys(scan));
    scan.open().forEach(f -> keys.add(f.fingerprint()));
    scan.outcome().resolved().forEach(f -> keys.add(f.fingerprint()));
    scan.outcome().changed().forEach(c -> keys.add(c.previous().fingerprint()));
    Map<String, AlertState> states = new LinkedHashMap<>();
    for (String key : keys) {
      alerts.find(cluster, key).ifPresent(s -> states.put(key, s));
    }
    return states;
  }

  /**
   * Plans the messages of one cluster's scan, as if nothing waited in the outbox.
   *
   * @param states the alert states by key, as {@link #statesFor} finds them
   */
  public AlertPlan plan(ClusterFindings scan, Map<String, AlertState> states) {
    return plan(scan, states, Set.of());
  }

  /**
   * Plans the messages of one cluster's scan.
   *
   * @param states the alert states by key, as {@link #statesFor} finds them
   * @param waiting the incident keys with messages still waiting in the outbox (their post among
   *     them, when the alert state holds no open message)
   */
  public AlertPlan plan(ClusterFindings scan, Map<String, AlertState> states, Set<String> waiting) {
    Plan plan = new Plan(scan, states, waiting);
    plan.alertedOnTheirOwn();
    Map<String, Map<String, Finding>> before = plan.routed(plan.openBefore.values());
    Map<String, Map<String, Finding>> after = plan.routed(plan.openNow.values());
    Set<String> channels = new TreeSet<>(before.keySet());
    channels.addAll(after.keySet());
    for (String channel : channels) {
      plan.incident(
          channel, before.getOrDefault(channel, Map.of()), after.getOrDefault(channel, Map.of()));
    }
    return new AlertPlan(plan.messages, List.copyOf(plan.unrouted));
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

  /** The messages of one scan, built step by step. */
  private final class Plan {
    final ClusterFindings scan;
    final String cluster;
    final Instant at;
    final Map<String, AlertState> states;
    final Set<String> waiting;
    final List<PlannedMessage> messages = new ArrayList<>();
    final Set<String> unrouted = new LinkedHashSet<>();

    /** The incidents' drifts open after the scan, by fingerprint. */
    final Map<String, Finding> openNow = new LinkedHashMap<>();

    /** The incidents' drifts open before the scan, by fingerprint. */
    final Map<String, Finding> openBefore = new LinkedHashMap<>();

    final Map<String, ScanOutcome.Change> byPrevious = new HashMap<>();
    final Map<String, ScanOutcome.Change> byCurrent = new HashMap<>();
    final Map<String, Optional<Route>> routes = new HashMap<>();

    Plan(ClusterFindings scan, Map<String, AlertState> states, Set<String> waiting) {
      this.scan = scan;
      this.cluster = scan.cluster().cluster();
      this.at = scan.scannedAt();
      this.states = states;
      this.waiting = waiting;
      ScanOutcome outcome = scan.outcome();
      outcome.changed().forEach(c -> byPrevious.put(c.previous().fingerprint(), c));
      outcome.changed().forEach(c -> byCurrent.put(c.current().fingerprint(), c));
      for (Finding f : scan.open()) {
        if (!onItsOwn(f)) {
          openNow.putIfAbsent(f.fingerprint(), f);
        }
      }
      openBefore.putAll(openNow);
      outcome.newFindings().forEach(f -> openBefore.remove(f.fingerprint()));
      for (ScanOutcome.Change c : outcome.changed()) {
        openBefore.remove(c.current().fingerprint());
        if (!onItsOwn(c.previous())) {
          openBefore.put(c.previous().fingerprint(), c.previous());
        }
      }
      for (Finding f : outcome.resolved()) {
        if (!onItsOwn(f)) {
          openBefore.putIfAbsent(f.fingerprint(), f);
        }
      }
    }

    /**
     * Whether a drift is shown open in an alert message of its own, posted before incidents (a
     * changed drift keeps the message of the drift it replaced). A drift whose own message shows it
     * resolved and that is back joins an incident like any other.
     */
    private boolean onItsOwn(Finding f) {
      if (openOnItsOwn(f.fingerprint())) {
        return true;
      }
      ScanOutcome.Change c = byCurrent.get(f.fingerprint());
      return c != null && openOnItsOwn(c.previous().fingerprint());
    }

    private boolean openOnItsOwn(String fingerprint) {
      AlertState state = states.get(fingerprint);
      return state != null && state.status() == AlertStatus.OPEN;
    }

    /** The findings by channel (channels in name order), the unrouted ones noted. */
    Map<String, Map<String, Finding>> routed(Collection<Finding> findings) {
      Map<String, Map<String, Finding>> byChannel = new TreeMap<>();
      for (Finding f : findings) {
        route(f)
            .ifPresent(
                r ->
                    byChannel
                        .computeIfAbsent(r.channel(), k -> new LinkedHashMap<>())
                        .put(f.fingerprint(), f));
      }
      return byChannel;
    }

    private Optional<Route> route(Finding f) {
      return routes.computeIfAbsent(
          f.fingerprint(),
          fp -> {
            Optional<Route> r =
                router.route(
                    scan.cluster(), scan.cluster().ownerOf(f.drift().addon()), f.severity());
            if (r.isEmpty()) {
              unrouted.add(fp);
            }
            return r;
          });
    }

    /** The messages of the incident of one channel. */
    void incident(String channel, Map<String, Finding> before, Map<String, Finding> after) {
      String key = incidentKey(cluster, channel);
      AlertState state = states.get(key);
      IncidentChanges changes = changes(before, after);
      String sig = at + ":" + Fingerprints.sha256(changes.signature()).substring(0, 12);
      if (before.isEmpty()) {
        AlertContent content = content(key, after.values(), null);
        add(
            "incident:" + cluster + ":" + key + ":" + at,
            Kind.ALERT,
            key,
            channel,
            AlertStatus.OPEN,
            SlackMessages.alert(content));
        return;
      }
      if (after.isEmpty()) {
        // Keyed by when its drifts resolved: the same resolution told twice is planned once.
        Instant resolvedAt =
            changes.left().stream()
                .map(Finding::resolvedAt)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(at);
        String resolvedSig =
            resolvedAt + ":" + Fingerprints.sha256(changes.signature()).substring(0, 12);
        Instant since =
            state != null && state.status() == AlertStatus.OPEN && state.createdAt() != null
                ? state.createdAt()
                : null;
        if (!waiting.contains(key) && (state == null || state.status() != AlertStatus.OPEN)) {
          return; // no message shows it open, and none is on its way
        }
        AlertContent content = content(key, before.values(), since).resolvedAt(resolvedAt);
        SlackMessage alert = SlackMessages.alert(content);
        add(
            "incident-resolve:" + cluster + ":" + key + ":" + resolvedSig,
            Kind.UPDATE,
            key,
            channel,
            AlertStatus.RESOLVED,
            alert);
        add(
            "incident-resolved:" + cluster + ":" + key + ":" + resolvedSig,
            Kind.THREAD_REPLY,
            key,
            channel,
            null,
            SlackMessages.resolvedNote(content, changes));
        return;
      }
      AlertContent content = content(key, after.values(), null);
      SlackMessage alert = SlackMessages.alert(content);
      boolean posting = postIfNoneOpen(key, channel, state, alert, AlertStatus.OPEN);
      if (!changes.isEmpty()) {
        add(
            "incident-update:" + cluster + ":" + key + ":" + sig,
            Kind.UPDATE,
            key,
            channel,
            AlertStatus.OPEN,
            alert);
        add(
            "incident-note:" + cluster + ":" + key + ":" + sig,
            Kind.THREAD_REPLY,
            key,
            channel,
            null,
            SlackMessages.changes(content, changes, at));
      } else if (!posting
          && state != null
          && state.status() == AlertStatus.OPEN
          && !alert.payloadHash().equals(state.payloadHash())) {
        add(
            "incident-update:" + cluster + ":" + key + ":" + at + ":refresh",
            Kind.UPDATE,
            key,
            channel,
            AlertStatus.OPEN,
            alert);
      }
      if (!posting && state != null && state.status() == AlertStatus.OPEN) {
        remind(key, content, state);
      }
    }

    /**
     * Plans the post of an incident that has no open message and none on its way (see the class
     * comment), once per message it would replace. Returns whether it did.
     */
    private boolean postIfNoneOpen(
        String key, String channel, AlertState state, SlackMessage alert, AlertStatus status) {
      if (state != null && state.status() == AlertStatus.OPEN || waiting.contains(key)) {
        return false;
      }
      add(
          "incident:" + cluster + ":" + key + ":after:" + (state == null ? "none" : state.ts()),
          Kind.ALERT,
          key,
          channel,
          status,
          alert);
      return true;
    }

    private void remind(String key, AlertContent content, AlertState state) {
      Instant last = state.remindedAt() != null ? state.remindedAt() : state.createdAt();
      if (reminderAfter != null
          && state.ts() != null
          && last != null
          && !at.isBefore(last.plus(reminderAfter))) {
        add(
            "reminder:" + cluster + ":" + key + ":" + last,
            Kind.REMINDER,
            key,
            state.channel(),
            null,
            SlackMessages.reminder(content, at));
      }
    }

    /** What the scan changed in one incident. */
    private IncidentChanges changes(Map<String, Finding> before, Map<String, Finding> after) {
      List<Finding> joined = new ArrayList<>();
      List<ScanOutcome.Change> changed = new ArrayList<>();
      List<Finding> left = new ArrayList<>();
      Map<String, String> movedTo = new HashMap<>();
      Map<String, String> movedToGroup = new HashMap<>();
      for (Finding f : sorted(after.values())) {
        if (before.containsKey(f.fingerprint())) {
          continue;
        }
        ScanOutcome.Change c = byCurrent.get(f.fingerprint());
        if (c != null && before.containsKey(c.previous().fingerprint())) {
          changed.add(c);
        } else {
          joined.add(f);
        }
      }
      for (Finding f : sorted(before.values())) {
        if (after.containsKey(f.fingerprint())) {
          continue;
        }
        ScanOutcome.Change c = byPrevious.get(f.fingerprint());
        if (c != null && after.containsKey(c.current().fingerprint())) {
          continue; // told as changed
        }
        left.add(f);
        String group = scan.movedToGroup().get(f.fingerprint());
        if (group != null) {
          movedToGroup.put(f.fingerprint(), group);
        } else if (c != null && openNow.containsKey(c.current().fingerprint())) {
          route(c.current()).ifPresent(r -> movedTo.put(f.fingerprint(), r.channel()));
        }
      }
      return new IncidentChanges(joined, changed, left, movedTo, movedToGroup);
    }

    /**
     * What an incident message shows: its drifts worst first, the mention of the worst drift's
     * route that has one, each drift's pull request.
     *
     * @param since when the incident opened, when known (else: the oldest drift's first sighting)
     */
    private AlertContent content(String key, Collection<Finding> items, Instant since) {
      List<Finding> sorted = sorted(items);
      String mention =
          sorted.stream()
              .map(f -> route(f).map(Route::mention).orElse(null))
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(null);
      Map<ResourceId, String> prs = new HashMap<>();
      for (Finding f : sorted) {
        String url = scan.pullRequestUrl(f.fingerprint());
        if (url != null) {
          prs.putIfAbsent(f.resource(), url);
        }
      }
      Instant oldest =
          since != null
              ? since
              : sorted.stream()
                  .map(Finding::firstSeen)
                  .filter(Objects::nonNull)
                  .min(Comparator.naturalOrder())
                  .orElse(null);
      return new AlertContent(
          cluster,
          scan.cluster().environment(),
          key,
          mention,
          sorted.stream().map(Finding::drift).toList(),
          prs,
          oldest,
          null,
          new AlertLinks(scan.commit(), scan.commitUrl(), null));
    }

    /**
     * Drifts alerted on their own before incidents existed: their message is edited to resolved
     * when they resolve, as it was then. (A changed one keeps its message: the caller moves its
     * state to the new fingerprint.)
     */
    void alertedOnTheirOwn() {
      for (Finding f : scan.outcome().resolved()) {
        AlertState state = states.get(f.fingerprint());
        if (state == null
            || state.status() == AlertStatus.RESOLVED
            || scan.movedToGroup().containsKey(f.fingerprint())) {
          continue;
        }
        Instant resolvedAt = f.resolvedAt() != null ? f.resolvedAt() : at;
        String channel = state.channel() != null ? state.channel() : "unknown";
        AlertContent content =
            new AlertContent(
                    cluster,
                    scan.cluster().environment(),
                    f.fingerprint(),
                    null,
                    List.of(f.drift()),
                    Map.of(),
                    f.firstSeen(),
                    null,
                    new AlertLinks(scan.commit(), scan.commitUrl(), null))
                .resolvedAt(resolvedAt);
        add(
            "resolve:" + cluster + ":" + f.fingerprint() + ":" + resolvedAt,
            Kind.UPDATE,
            f.fingerprint(),
            channel,
            AlertStatus.RESOLVED,
            SlackMessages.alert(content));
        add(
            "resolved-note:" + cluster + ":" + f.fingerprint() + ":" + resolvedAt,
            Kind.THREAD_REPLY,
            f.fingerprint(),
            channel,
            null,
            SlackMessages.resolvedNote(content, null));
      }
    }

    private void add(
        String key,
        Kind kind,
        String alertKey,
        String channel,
        AlertStatus status,
        SlackMessage m) {
      messages.add(
          new PlannedMessage(
              key,
              new OutboxMessage(
                  kind,
                  cluster,
                  alertKey,
                  channel,
                  status,
                  m.text(),
                  m.blocksJson(),
                  m.payloadHash())));
    }
  }

  /** Worst first, then by resource and fingerprint. */
  private static List<Finding> sorted(Collection<Finding> findings) {
    return findings.stream()
        .sorted(
            Comparator.comparing(Finding::severity)
                .reversed()
                .thenComparing(Finding::resource)
                .thenComparing(Finding::fingerprint))
        .toList();
  }
}
