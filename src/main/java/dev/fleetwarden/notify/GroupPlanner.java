package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.FindingGroup;
import dev.fleetwarden.ledger.Fingerprints;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.OutboxMessage.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
 * Decides the fleet-wide group messages a scan calls for. Pure: the groups before and after the
 * scan ({@link FleetGroups}), the routing context of the clusters and the alert states in, outbox
 * messages out.
 *
 * <p>One message per group and channel, keyed {@link #groupKey}: a group goes to each channel its
 * clusters' drifts route to (the {@code fleet.yaml} routes, else the fallback channel), once per
 * channel, with that route's mention. Per scan and message:
 *
 * <ul>
 *   <li>the group forms (a second cluster has the drift): the message is posted, with the mention,
 *       listing the drift once and its clusters;
 *   <li>clusters join or leave: the message is edited and one thread reply says which;
 *   <li>the last cluster leaves: the message is edited to "resolved" and a thread reply says when;
 *   <li>nothing changed: a thread reminder when {@code reminderAfter} has passed, or a quiet edit
 *       when what the message shows changed (a pull request opened since).
 * </ul>
 *
 * A channel's message stays open until the group resolves, also when the clusters that routed the
 * group there left it. A group that resolved and forms again gets new messages, with the mention
 * again. Messages of one group and channel share an outbox order key ({@link FleetGroups#CLUSTER}
 * and the group key), and their dedup keys make planning the same scan twice enqueue nothing new.
 */
public final class GroupPlanner {
  /** The start of every group message key. */
  public static final String GROUP_PREFIX = "group-";

  private final AlertRouter router;
  private final Duration reminderAfter;

  /**
   * @param reminderAfter how long a group stays open before a thread reminder (and between
   *     reminders); null or zero: no reminders
   */
  public GroupPlanner(AlertRouter router, Duration reminderAfter) {
    this.router = Objects.requireNonNull(router, "router");
    this.reminderAfter =
        reminderAfter == null || reminderAfter.isZero() || reminderAfter.isNegative()
            ? null
            : reminderAfter;
  }

  /**
   * The key of a group's message in a channel, as kept in the alert states and the outbox: {@value
   * #GROUP_PREFIX}, the group fingerprint, and a hash of the channel (it fits where a fingerprint
   * fits, and the group is read back from it: {@link #groupOfKey}).
   */
  public static String groupKey(String group, String channel) {
    return GROUP_PREFIX
        + group
        + "-"
        + Fingerprints.sha256("fleetwarden-group-channel-v1\n" + channel).substring(0, 16);
  }

  /** The group fingerprint in a group message key, or null when it is none. */
  public static String groupOfKey(String key) {
    if (key == null || !key.startsWith(GROUP_PREFIX)) {
      return null;
    }
    int end = key.lastIndexOf('-');
    return end <= GROUP_PREFIX.length() ? null : key.substring(GROUP_PREFIX.length(), end);
  }

  /**
   * The message keys of the channels a scan's groups route to, before and after it: the keys whose
   * alert state and waiting messages the planner needs besides the open group messages.
   */
  public Set<String> routedKeys(GroupScan scan) {
    Set<String> keys = new LinkedHashSet<>();
    for (String group : groups(scan)) {
      routes(scan, scan.groups().before().get(group))
          .keySet()
          .forEach(ch -> keys.add(groupKey(group, ch)));
      routes(scan, scan.groups().after().get(group))
          .keySet()
          .forEach(ch -> keys.add(groupKey(group, ch)));
    }
    return keys;
  }

  /**
   * Plans the group messages of one scan.
   *
   * @param states the alert states by key: every open group message, and the state of each of
   *     {@link #routedKeys} that has one
   * @param waiting the keys with messages still waiting in the outbox
   */
  public AlertPlan plan(GroupScan scan, Map<String, AlertState> states, Set<String> waiting) {
    List<PlannedMessage> messages = new ArrayList<>();
    List<String> unrouted = new ArrayList<>();
    for (String group : groups(scan)) {
      FindingGroup before = scan.groups().before().get(group);
      FindingGroup after = scan.groups().after().get(group);
      Map<String, Route> routedBefore = routes(scan, before);
      Map<String, Route> routedAfter = routes(scan, after);
      // key -> channel: the routed channels, then channels whose message is still open
      Map<String, String> slots = new TreeMap<>();
      routedBefore.keySet().forEach(ch -> slots.put(groupKey(group, ch), ch));
      routedAfter.keySet().forEach(ch -> slots.put(groupKey(group, ch), ch));
      states.forEach(
          (key, state) -> {
            if (group.equals(groupOfKey(key))
                && state.status() == AlertStatus.OPEN
                && state.channel() != null) {
              slots.putIfAbsent(key, state.channel());
            }
          });
      if (slots.isEmpty()) {
        unrouted.add("group " + group);
        continue;
      }
      slots.forEach(
          (key, channel) -> {
            Route route =
                routedAfter.containsKey(channel)
                    ? routedAfter.get(channel)
                    : routedBefore.get(channel);
            new Slot(scan, group, key, channel, route, states.get(key), waiting.contains(key))
                .plan(
                    before,
                    after,
                    routedBefore.containsKey(channel),
                    routedAfter.containsKey(channel),
                    messages);
          });
    }
    return new AlertPlan(messages, unrouted);
  }

  private static Set<String> groups(GroupScan scan) {
    Set<String> groups = new TreeSet<>(scan.groups().before().keySet());
    groups.addAll(scan.groups().after().keySet());
    return groups;
  }

  /** The channels the members of a group route to, with the route of its worst member there. */
  private Map<String, Route> routes(GroupScan scan, FindingGroup group) {
    Map<String, Route> routes = new TreeMap<>();
    if (group == null) {
      return routes;
    }
    List<Finding> worstFirst =
        group.members().stream()
            .sorted(
                Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::cluster))
            .toList();
    for (Finding f : worstFirst) {
      ClusterContext cluster = scan.clusters().get(f.cluster());
      if (cluster == null) {
        continue; // no longer in the fleet
      }
      Optional<Route> r = router.route(cluster, cluster.ownerOf(f.drift().addon()), f.severity());
      r.ifPresent(
          route ->
              routes.merge(
                  route.channel(), route, (kept, other) -> kept.mention() != null ? kept : other));
    }
    return routes;
  }

  /** The messages of one group in one channel. */
  private final class Slot {
    final GroupScan scan;
    final String group;
    final String key;
    final String channel;
    final Route route;
    final AlertState state;
    final boolean waiting;
    final boolean open;

    Slot(
        GroupScan scan,
        String group,
        String key,
        String channel,
        Route route,
        AlertState state,
        boolean waiting) {
      this.scan = scan;
      this.group = group;
      this.key = key;
      this.channel = channel;
      this.route = route;
      this.state = state;
      this.waiting = waiting;
      this.open = state != null && state.status() == AlertStatus.OPEN;
    }

    /**
     * @param routedBefore whether a member before the scan routed the group to this channel
     * @param routedAfter whether a member after the scan does
     */
    void plan(
        FindingGroup before,
        FindingGroup after,
        boolean routedBefore,
        boolean routedAfter,
        List<PlannedMessage> out) {
      boolean shownBefore = before != null && (routedBefore || open || waiting);
      // once shown, a channel keeps the group until it resolves
      boolean shownAfter = after != null && (routedAfter || shownBefore);
      Instant at = scan.at();
      if (!shownBefore && !shownAfter) {
        return;
      }
      if (!shownBefore) {
        add(out, "group:" + key + ":" + at, Kind.ALERT, AlertStatus.OPEN, alert(after, null));
        return;
      }
      GroupChanges changes = changes(before, after);
      String sig = at + ":" + Fingerprints.sha256(changes.signature()).substring(0, 12);
      if (!shownAfter) {
        if (after != null || (!open && !waiting)) {
          return; // still open elsewhere, or no message shows it and none is on its way
        }
        Instant since = open && state.createdAt() != null ? state.createdAt() : null;
        GroupContent content = content(before, since).resolvedAt(at);
        add(
            out,
            "group-resolve:" + key + ":" + sig,
            Kind.UPDATE,
            AlertStatus.RESOLVED,
            GroupMessages.alert(content));
        add(
            out,
            "group-resolved:" + key + ":" + sig,
            Kind.THREAD_REPLY,
            null,
            GroupMessages.resolvedNote(content, changes));
        return;
      }
      GroupContent content = content(after, null);
      SlackMessage alert = GroupMessages.alert(content);
      boolean posting = !open && !waiting;
      if (posting) {
        // its post was lost before it reached the outbox: post it now, once per message it replaces
        add(
            out,
            "group:" + key + ":after:" + (state == null ? "none" : state.ts()),
            Kind.ALERT,
            AlertStatus.OPEN,
            alert);
      }
      if (!changes.isEmpty()) {
        add(out, "group-update:" + key + ":" + sig, Kind.UPDATE, AlertStatus.OPEN, alert);
        add(
            out,
            "group-note:" + key + ":" + sig,
            Kind.THREAD_REPLY,
            null,
            GroupMessages.changes(content, changes, at));
      } else if (!posting && open && !alert.payloadHash().equals(state.payloadHash())) {
        add(
            out,
            "group-update:" + key + ":" + at + ":refresh",
            Kind.UPDATE,
            AlertStatus.OPEN,
            alert);
      }
      if (!posting && open) {
        remind(out, content);
      }
    }

    private SlackMessage alert(FindingGroup members, Instant since) {
      return GroupMessages.alert(content(members, since));
    }

    private void remind(List<PlannedMessage> out, GroupContent content) {
      Instant last = state.remindedAt() != null ? state.remindedAt() : state.createdAt();
      if (reminderAfter != null
          && state.ts() != null
          && last != null
          && !scan.at().isBefore(last.plus(reminderAfter))) {
        add(
            out,
            "group-reminder:" + key + ":" + last,
            Kind.REMINDER,
            null,
            GroupMessages.reminder(content, scan.at()));
      }
    }

    private GroupChanges changes(FindingGroup before, FindingGroup after) {
      Map<String, Finding> was = byCluster(before);
      Map<String, Finding> is = byCluster(after);
      List<Finding> joined = new ArrayList<>();
      List<Finding> left = new ArrayList<>();
      is.forEach(
          (cluster, f) -> {
            if (!was.containsKey(cluster)) {
              joined.add(f);
            }
          });
      was.forEach(
          (cluster, f) -> {
            if (!is.containsKey(cluster)) {
              left.add(f);
            }
          });
      return new GroupChanges(joined, left);
    }

    private GroupContent content(FindingGroup members, Instant since) {
      Map<String, String> environments = new LinkedHashMap<>();
      for (Finding f : members.members()) {
        ClusterContext c = scan.clusters().get(f.cluster());
        if (c != null && c.environment() != null) {
          environments.put(f.cluster(), c.environment());
        }
      }
      Instant oldest =
          since != null
              ? since
              : members.members().stream()
                  .map(Finding::firstSeen)
                  .filter(Objects::nonNull)
                  .min(Comparator.naturalOrder())
                  .orElse(null);
      return new GroupContent(
          group,
          key,
          route == null ? null : route.mention(),
          members.members(),
          environments,
          scan.pullRequestUrls(),
          oldest,
          null,
          new AlertLinks(scan.commit(), scan.commitUrl(), null));
    }

    private void add(
        List<PlannedMessage> out, String dedupKey, Kind kind, AlertStatus status, SlackMessage m) {
      out.add(
          new PlannedMessage(
              dedupKey,
              new OutboxMessage(
                  kind,
                  FleetGroups.CLUSTER,
                  key,
                  channel,
                  status,
                  m.text(),
                  m.blocksJson(),
                  m.payloadHash())));
    }
  }

  private static Map<String, Finding> byCluster(FindingGroup group) {
    Map<String, Finding> map = new TreeMap<>();
    if (group != null) {
      group.members().forEach(f -> map.put(f.cluster(), f));
    }
    return map;
  }

  /** Every group fingerprint among alert state keys (the open group messages). */
  public static Set<String> groupsOf(Collection<AlertState> states) {
    Set<String> groups = new TreeSet<>();
    for (AlertState s : states) {
      String group = groupOfKey(s.fingerprint());
      if (group != null) {
        groups.add(group);
      }
    }
    return groups;
  }
}
