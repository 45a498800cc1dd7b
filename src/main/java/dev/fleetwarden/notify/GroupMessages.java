package dev.fleetwarden.notify;

import static dev.fleetwarden.notify.SlackMessages.MAX_BLOCKS;
import static dev.fleetwarden.notify.SlackMessages.MAX_TEXT;
import static dev.fleetwarden.notify.SlackMessages.capLines;
import static dev.fleetwarden.notify.SlackMessages.code;
import static dev.fleetwarden.notify.SlackMessages.cut;
import static dev.fleetwarden.notify.SlackMessages.date;
import static dev.fleetwarden.notify.SlackMessages.duration;
import static dev.fleetwarden.notify.SlackMessages.esc;
import static dev.fleetwarden.notify.SlackMessages.value;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Risk;
import dev.fleetwarden.notify.SlackMessages.Blocks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Block Kit formatting of fleet-wide group messages (the same drift on several clusters), their
 * thread replies and reminders. Pure, and held to the same rules as {@link SlackMessages}: every
 * string from outside fleetwarden (cluster names, ids, paths, values, managers, add-ons, files) is
 * escaped and capped, Secret values show only as their masked hash, the configured mention is the
 * only one.
 */
public final class GroupMessages {
  /** Most member clusters listed by name in the message (the rest are counted). */
  static final int MAX_CLUSTERS = 50;

  private GroupMessages() {}

  /** The group message: the drift once, with what differs per cluster, and the clusters. */
  public static SlackMessage alert(GroupContent c) {
    ObjectDrift drift = c.drift();
    String resource = resource(drift.resource());
    int n = c.members().size();
    Blocks b = new Blocks();
    if (c.resolved()) {
      b.header(":white_check_mark: Resolved: drift shared by " + clusters(n));
      b.section(
          "Resolved "
              + date(c.resolvedAt())
              + (c.since() == null ? "" : " after " + duration(c.since(), c.resolvedAt()))
              + ": `"
              + resource
              + "` no longer drifts this way on any cluster. The thread records each change.");
    } else {
      b.header(
          SlackMessages.icon(c.severity())
              + " Same drift on "
              + clusters(n)
              + ": "
              + SlackMessages.label(c.severity()));
      b.section(
          mentionPrefix(c)
              + "`"
              + resource
              + "` differs from the fleet repo the same way on *"
              + clusters(n)
              + "*"
              + (c.since() == null ? "" : ", since " + date(c.since()))
              + ". This message tells it for every cluster; their own messages leave it out.");
      objectBlocks(c).forEach(b::add);
      List<String> lines = new ArrayList<>();
      for (Finding f : c.members()) {
        lines.add(clusterLine(c, f));
      }
      if (b.size() + 3 <= MAX_BLOCKS) {
        b.section(capLines("*Clusters*", limit(lines), "clusters"));
      }
    }
    SlackMessages.footer(b, c.links(), "fleetwarden · fleet-wide", c.resolved(), c.key());
    return new SlackMessage(text(c), b.array());
  }

  private static String text(GroupContent c) {
    String resource = resource(c.drift().resource());
    if (c.resolved()) {
      return cut("Resolved: drift of " + resource + " shared by clusters", MAX_TEXT);
    }
    List<String> names = c.members().stream().limit(5).map(f -> esc(f.cluster())).toList();
    int more = c.members().size() - names.size();
    return cut(
        mentionPrefix(c)
            + "Same drift on "
            + clusters(c.members().size())
            + " ("
            + SlackMessages.label(c.severity())
            + "): "
            + resource
            + " "
            + c.drift().type().label()
            + " on "
            + String.join(", ", names)
            + (more > 0 ? " and " + more + " more" : ""),
        MAX_TEXT);
  }

  /** The drift once: what and where, why it is critical, and its fields with who changed them. */
  private static List<ObjectNode> objectBlocks(GroupContent c) {
    ObjectDrift drift = c.drift();
    List<ObjectNode> blocks = new ArrayList<>();
    StringBuilder head = new StringBuilder();
    head.append("*`").append(resource(drift.resource())).append("`*");
    head.append(" · ").append(drift.type().label());
    List<String> where = new ArrayList<>();
    if (drift.addon() != null) {
      where.add("add-on `" + code(drift.addon()) + "`");
    }
    if (drift.file() != null) {
      where.add("file `" + code(drift.file()) + "`");
    }
    if (!where.isEmpty()) {
      head.append('\n').append(String.join(" · ", where));
    }
    blocks.add(Blocks.sectionBlock(cut(head.toString(), MAX_TEXT)));
    Set<Risk> risks = new LinkedHashSet<>();
    c.members().forEach(f -> risks.addAll(f.drift().risk()));
    if (!risks.isEmpty()) {
      List<String> reasons = new ArrayList<>();
      for (Risk r : risks) {
        reasons.add(SlackMessages.riskLine(r));
      }
      blocks.add(Blocks.sectionBlock(capLines(":rotating_light: *Critical*", reasons, "reasons")));
    }
    if (!drift.fields().isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (FieldDrift f : drift.fields()) {
        lines.add(fieldLine(c, f));
      }
      blocks.add(Blocks.sectionBlock(capLines("*desired → live*", lines, "fields")));
    }
    return blocks;
  }

  /**
   * One field: the desired value (one for all clusters, or each cluster's when they differ), the
   * live value they share, and every manager that wrote it.
   */
  static String fieldLine(GroupContent c, FieldDrift field) {
    ResourceId id = c.drift().resource();
    if (field.isWholeObject()) {
      return "• the object itself";
    }
    Map<String, List<String>> clustersByDesired = new LinkedHashMap<>();
    Set<String> managers = new TreeSet<>();
    for (Finding member : c.members()) {
      for (FieldDrift f : member.drift().fields()) {
        if (Objects.equals(f.path(), field.path())) {
          clustersByDesired
              .computeIfAbsent(value(id, f.desired()), k -> new ArrayList<>())
              .add(member.cluster());
          if (f.manager() != null) {
            managers.add(f.manager());
          }
        }
      }
    }
    StringBuilder line = new StringBuilder("• `").append(code(field.path())).append("`: ");
    if (clustersByDesired.size() <= 1) {
      line.append(value(id, field.desired()));
    } else {
      List<String> parts = new ArrayList<>();
      clustersByDesired.forEach(
          (desired, names) ->
              parts.add(
                  desired
                      + " on "
                      + String.join(", ", names.stream().limit(5).map(SlackMessages::code).toList())
                      + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "")));
      line.append("(").append(String.join("; ", parts)).append(")");
    }
    line.append(" → ").append(value(id, field.live()));
    if (!managers.isEmpty()) {
      line.append("\n      changed by ")
          .append(
              String.join(", ", managers.stream().limit(5).map(m -> "`" + code(m) + "`").toList()))
          .append(managers.size() > 5 ? " and " + (managers.size() - 5) + " more" : "");
    }
    return line.toString();
  }

  private static String clusterLine(GroupContent c, Finding f) {
    StringBuilder line = new StringBuilder("• *").append(esc(f.cluster())).append('*');
    String env = c.environments().get(f.cluster());
    if (env != null) {
      line.append(SlackMessages.env(env));
    }
    if (f.firstSeen() != null) {
      line.append(" since ").append(date(f.firstSeen()));
    }
    String pr = c.pullRequests().get(f.fingerprint());
    if (pr != null) {
      line.append(" · ").append(SlackText.link(pr, ":twisted_rightwards_arrows: Pull request"));
    }
    return line.toString();
  }

  private static List<String> limit(List<String> lines) {
    if (lines.size() <= MAX_CLUSTERS) {
      return lines;
    }
    List<String> shown = new ArrayList<>(lines.subList(0, MAX_CLUSTERS));
    shown.add("… and " + (lines.size() - MAX_CLUSTERS) + " more clusters");
    return shown;
  }

  /** The thread reply of a scan that changed the group: clusters that joined and left. */
  public static SlackMessage changes(GroupContent now, GroupChanges changes, Instant at) {
    Blocks b = new Blocks();
    b.section(
        capLines(
            ":pencil2: *What changed* (seen "
                + date(at)
                + "; "
                + clusters(now.members().size())
                + " drifting)",
            changeLines(changes),
            "changes"));
    List<String> counts = new ArrayList<>();
    if (!changes.joined().isEmpty()) {
      counts.add(changes.joined().size() + " joined");
    }
    if (!changes.left().isEmpty()) {
      counts.add(changes.left().size() + " left");
    }
    return new SlackMessage(
        cut(
            "Drift of "
                + resource(now.drift().resource())
                + ": "
                + String.join(", ", counts)
                + "; "
                + clusters(now.members().size())
                + " drifting",
            MAX_TEXT),
        b.array());
  }

  /** One line per cluster that joined or left the group. */
  static List<String> changeLines(GroupChanges changes) {
    List<String> lines = new ArrayList<>();
    if (!changes.joined().isEmpty()) {
      lines.add("*Joined*");
      for (Finding f : changes.joined()) {
        lines.add("• *" + esc(f.cluster()) + "* drifts the same way");
      }
    }
    if (!changes.left().isEmpty()) {
      lines.add("*Left*");
      for (Finding f : changes.left()) {
        lines.add(
            "• *"
                + esc(f.cluster())
                + "* "
                + (f.supersededBy() == null
                    ? "is back in sync"
                    : "drifts differently now (told in its cluster's message)"));
      }
    }
    return lines;
  }

  /** Thread reply announcing that the group resolved, with the clusters its last scan took. */
  public static SlackMessage resolvedNote(GroupContent c, GroupChanges last) {
    String when =
        date(c.resolvedAt())
            + (c.since() == null ? "" : " (open for " + duration(c.since(), c.resolvedAt()) + ")");
    Blocks b = new Blocks();
    b.section(
        capLines(
            ":white_check_mark: Resolved at " + when + ": no cluster drifts this way any more.",
            last == null ? List.of() : changeLines(last),
            "clusters"));
    return new SlackMessage(
        cut(
            "Resolved: drift of " + resource(c.drift().resource()) + " shared by clusters",
            MAX_TEXT),
        b.array());
  }

  /** Thread reminder while the group stays open, listing its clusters. */
  public static SlackMessage reminder(GroupContent c, Instant now) {
    String open = c.since() == null ? "" : " for " + duration(c.since(), now);
    List<String> lines = c.members().stream().map(f -> "• *" + esc(f.cluster()) + "*").toList();
    Blocks b = new Blocks();
    b.section(
        capLines(
            mentionPrefix(c)
                + ":alarm_clock: Still drifting"
                + open
                + " on "
                + clusters(c.members().size())
                + ":",
            limit(lines),
            "clusters"));
    return new SlackMessage(
        cut(
            mentionPrefix(c)
                + "Reminder: drift of "
                + resource(c.drift().resource())
                + " still open on "
                + clusters(c.members().size())
                + open,
            MAX_TEXT),
        b.array());
  }

  /** A resource within its clusters, each segment capped, for a code span. */
  static String resource(ResourceId id) {
    return SlackText.mrkdwn(Reflected.id(id).withinCluster());
  }

  private static String clusters(int n) {
    return n == 1 ? "1 cluster" : n + " clusters";
  }

  private static String mentionPrefix(GroupContent c) {
    String m = SlackText.mention(c.mention());
    return m == null ? "" : m + " ";
  }
}
