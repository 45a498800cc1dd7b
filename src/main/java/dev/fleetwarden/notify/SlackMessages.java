package dev.fleetwarden.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Risk;
import dev.fleetwarden.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Block Kit formatting of incident messages (one per cluster and channel, listing its drifted
 * objects), their thread replies (what a scan changed, resolved, reminders), broken-commit messages
 * and digests. Pure: data in, {@link SlackMessage} out.
 *
 * <p>Slack limits are respected: at most {@value #MAX_BLOCKS} blocks, at most {@value #MAX_TEXT}
 * characters per text block (long field lists end with "… and N more fields"), header texts at most
 * {@value #MAX_HEADER} characters.
 *
 * <p>A critical drift (one a risk rule matched) says so in the header ({@code :rotating_light:
 * critical}) and lists each reason under its object, with the path and the rule's id; reasons come
 * from the fleet repo and are escaped and capped like any foreign text.
 *
 * <p>Values of a Secret are shown only in their masked form ({@code hmac:...}); anything else found
 * in a Secret's drift (say a {@code last-applied-configuration} annotation) is hidden.
 *
 * <p>Every string that does not come from fleetwarden itself (values, paths, field managers, ids,
 * add-ons, files, error messages, cluster names) goes through {@link SlackText} where it is put
 * into the message, capped ({@link Reflected}): values at {@value Reflected#VALUE} characters,
 * names at {@value Reflected#NAME}, messages at {@value Reflected#MESSAGE}. The configured mention
 * is the only mention a message can carry.
 */
public final class SlackMessages {
  public static final int MAX_BLOCKS = 50;
  public static final int MAX_TEXT = 3000;
  public static final int MAX_HEADER = 150;

  /** Longest risk reason shown (a rule's reason comes from the fleet repo). */
  static final int REASON = 300;

  /** Most objects an incident message shows (the rest are counted). */
  public static final int MAX_ITEMS = 10;

  /** Oldest open drifts listed in a digest. */
  static final int DIGEST_OLDEST = 10;

  static final String MASK_PREFIX = FieldDrift.SECRET_HASH_PREFIX;
  static final String HIDDEN = "_hidden (Secret)_";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private SlackMessages() {}

  // ---------------------------------------------------------------- alert message

  /**
   * The message of an incident: while open, its drifted objects (at most {@value #MAX_ITEMS}, then
   * "… and N more objects"); once resolved, a short summary (the thread tells each change).
   */
  public static SlackMessage alert(AlertContent c) {
    Severity severity = c.severity();
    Blocks b = new Blocks();
    if (c.resolved()) {
      b.header(":white_check_mark: Resolved: drift on " + SlackText.plain(c.cluster()));
      b.section(
          "Resolved "
              + date(c.resolvedAt())
              + (c.since() == null ? "" : " after " + duration(c.since(), c.resolvedAt()))
              + ": every object on *"
              + esc(c.cluster())
              + "*"
              + env(c.environment())
              + " that this message listed matches the fleet repo again or moved to a fleet-wide"
              + " message. The thread records each change.");
    } else {
      b.header(
          icon(severity) + " Drift on " + SlackText.plain(c.cluster()) + ": " + label(severity));
      b.section(
          mentionPrefix(c)
              + objects(c.drifts().size())
              + " "
              + (c.drifts().size() == 1 ? "differs" : "differ")
              + " from the fleet repo on *"
              + esc(c.cluster())
              + "*"
              + env(c.environment())
              + (c.since() == null ? "" : ", since " + date(c.since()))
              + ".");
      int reserved = 3; // "more objects", links, footer
      int shown = 0;
      for (ObjectDrift drift : c.drifts()) {
        List<ObjectNode> objectBlocks = objectBlocks(drift, c.pullRequest(drift.resource()));
        if (shown == MAX_ITEMS || b.size() + objectBlocks.size() + reserved > MAX_BLOCKS) {
          break;
        }
        objectBlocks.forEach(b::add);
        shown++;
      }
      if (shown < c.drifts().size()) {
        b.section("… and " + (c.drifts().size() - shown) + " more objects");
      }
    }
    footer(b, c.links(), "fleetwarden", c.resolved(), c.key());
    return new SlackMessage(alertText(c), b.array());
  }

  private static String alertText(AlertContent c) {
    StringBuilder t = new StringBuilder();
    if (c.resolved()) {
      t.append("Resolved: drift on ").append(esc(c.cluster()));
      return t.toString();
    }
    t.append(mentionPrefix(c));
    t.append("Drift on ").append(esc(c.cluster())).append(" (").append(label(c.severity()));
    t.append("): ");
    t.append(
        String.join(
            ", ",
            c.drifts().stream()
                .limit(5)
                .map(
                    d ->
                        id(d.resource())
                            + " "
                            + d.type().label()
                            + (d.risk().isEmpty() ? "" : " (critical)"))
                .toList()));
    if (c.drifts().size() > 5) {
      t.append(" and ").append(c.drifts().size() - 5).append(" more");
    }
    List<String> prs =
        c.links().pullRequestUrl() != null
            ? List.of(c.links().pullRequestUrl())
            : c.drifts().stream()
                .map(d -> c.pullRequest(d.resource()))
                .filter(Objects::nonNull)
                .distinct()
                .toList();
    if (prs.size() == 1) {
      t.append(" — PR ").append(esc(prs.get(0)));
    } else if (prs.size() > 1) {
      t.append(" — ").append(prs.size()).append(" pull requests");
    }
    return cut(t.toString(), MAX_TEXT);
  }

  /**
   * The blocks of one drifted object: what and where (with its pull request, when it has one), then
   * its fields.
   */
  static List<ObjectNode> objectBlocks(ObjectDrift drift, String pullRequestUrl) {
    List<ObjectNode> blocks = new ArrayList<>();
    StringBuilder head = new StringBuilder();
    head.append("*`").append(id(drift.resource())).append("`*");
    head.append(" · ").append(drift.type().label());
    if (pullRequestUrl != null) {
      head.append(" · ")
          .append(SlackText.link(pullRequestUrl, ":twisted_rightwards_arrows: Pull request"));
    }
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
    String note = typeNote(drift.type());
    if (note != null) {
      head.append('\n').append(note);
    }
    blocks.add(Blocks.sectionBlock(cut(head.toString(), MAX_TEXT)));
    if (!drift.risk().isEmpty()) {
      List<String> reasons = new ArrayList<>();
      for (Risk r : drift.risk()) {
        reasons.add(riskLine(r));
      }
      blocks.add(Blocks.sectionBlock(capLines(":rotating_light: *Critical*", reasons, "reasons")));
    }
    if (!drift.fields().isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (FieldDrift f : drift.fields()) {
        lines.add(fieldLine(drift.resource(), f));
      }
      blocks.add(Blocks.sectionBlock(capLines("*desired → live*", lines, "fields")));
    }
    return blocks;
  }

  /**
   * One reason a drift is critical: the rule's reason (fleet-repo text: escaped and capped), where
   * it matched and the rule's id.
   */
  static String riskLine(Risk r) {
    StringBuilder line = new StringBuilder("• ").append(esc(Reflected.cap(r.reason(), REASON)));
    if (!r.path().isEmpty()) {
      line.append(" at `").append(code(r.path())).append('`');
    }
    return line.append(" (rule `").append(code(r.rule())).append("`)").toString();
  }

  private static String typeNote(DriftType type) {
    return switch (type) {
      case MISSING -> "_The object is missing from the cluster._";
      case ORPHAN -> "_No longer in the fleet repo, but still in the cluster._";
      case PENDING -> "_A fleet change not applied yet._";
      case ADDED -> "_Set by hand in the cluster; the fleet repo does not set it._";
      case MODIFIED -> null;
    };
  }

  static String fieldLine(ResourceId id, FieldDrift f) {
    StringBuilder line = new StringBuilder();
    if (f.isWholeObject()) {
      line.append("• the object itself");
    } else {
      line.append("• `").append(code(f.path())).append("`: ");
      line.append(value(id, f.desired())).append(" → ").append(value(id, f.live()));
    }
    List<String> about = new ArrayList<>();
    if (f.manager() != null) {
      about.add(
          "changed by `"
              + code(f.manager())
              + "`"
              + (f.time() == null ? "" : " " + date(f.time())));
    } else if (f.time() != null) {
      about.add("changed " + date(f.time()));
    }
    if (f.origin() != null) {
      about.add("set in `" + code(f.origin().toString()) + "`");
    }
    if (!about.isEmpty()) {
      line.append("\n      ").append(String.join(" · ", about));
    }
    return line.toString();
  }

  /**
   * One value as shown: absent, a masked Secret hash, or compact JSON capped at {@value
   * Reflected#VALUE} characters (with its full size), escaped for a code span. In a Secret, any
   * value that is not a masked hash is hidden.
   */
  static String value(ResourceId id, JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "_absent_";
    }
    String text = v.isTextual() ? v.textValue() : v.toString();
    if (isSecret(id) && !(v.isTextual() && text.startsWith(MASK_PREFIX))) {
      return HIDDEN;
    }
    return "`" + SlackText.mrkdwn(Reflected.cap(text, Reflected.VALUE)) + "`";
  }

  static boolean isSecret(ResourceId id) {
    return !id.isTerraform() && "Secret".equals(id.kind());
  }

  // ---------------------------------------------------------------- thread replies

  /**
   * The thread reply of one scan that changed an open incident: the objects that joined it, changed
   * or left it, and how many are open now.
   */
  public static SlackMessage changes(AlertContent now, IncidentChanges changes, Instant at) {
    List<String> lines = changeLines(changes);
    Blocks b = new Blocks();
    b.section(
        capLines(
            ":pencil2: *What changed* (seen "
                + date(at)
                + "; "
                + objects(now.drifts().size())
                + " open)",
            lines,
            "changes"));
    List<String> counts = new ArrayList<>();
    if (!changes.joined().isEmpty()) {
      counts.add(changes.joined().size() + " new");
    }
    if (!changes.changed().isEmpty()) {
      counts.add(changes.changed().size() + " changed");
    }
    int moved = changes.movedTo().size();
    int grouped = changes.movedToGroup().size();
    if (changes.left().size() > moved + grouped) {
      counts.add((changes.left().size() - moved - grouped) + " back in sync");
    }
    if (moved > 0) {
      counts.add(moved + " moved to another channel");
    }
    if (grouped > 0) {
      counts.add(grouped + " moved to a fleet-wide message");
    }
    String text =
        "Drift on "
            + esc(now.cluster())
            + ": "
            + String.join(", ", counts)
            + "; "
            + objects(now.drifts().size())
            + " open";
    return new SlackMessage(cut(text, MAX_TEXT), b.array());
  }

  /** One line per object a scan added to, changed in or took out of an incident. */
  static List<String> changeLines(IncidentChanges changes) {
    List<String> lines = new ArrayList<>();
    if (!changes.joined().isEmpty()) {
      lines.add("*New*");
      for (Finding f : changes.joined()) {
        ObjectDrift d = f.drift();
        lines.add(
            "• `"
                + id(d.resource())
                + "` "
                + d.type().label()
                + (d.risk().isEmpty() ? "" : " (critical)"));
      }
    }
    if (!changes.changed().isEmpty()) {
      lines.add("*Changed*");
      for (ScanOutcome.Change c : changes.changed()) {
        lines.addAll(changeLines(c.previous().drift(), c.current().drift()));
      }
    }
    List<Finding> grouped =
        changes.left().stream()
            .filter(f -> changes.movedToGroup().containsKey(f.fingerprint()))
            .toList();
    if (!grouped.isEmpty()) {
      lines.add("*Moved to a fleet-wide message* (the same drift on other clusters)");
      for (Finding f : grouped) {
        lines.add(
            "• `"
                + id(f.resource())
                + "` is now told in the message of `"
                + code(changes.movedToGroup().get(f.fingerprint()))
                + "`");
      }
    }
    if (changes.left().size() > grouped.size()) {
      lines.add("*Back in sync*");
      for (Finding f : changes.left()) {
        if (changes.movedToGroup().containsKey(f.fingerprint())) {
          continue;
        }
        String to = changes.movedTo().get(f.fingerprint());
        lines.add(
            "• `"
                + id(f.resource())
                + "` "
                + (to == null ? "is back in sync" : "now goes to `" + code(to) + "`"));
      }
    }
    return lines;
  }

  /** What changed between two drifts of one object. */
  static List<String> changeLines(ObjectDrift was, ObjectDrift d) {
    List<String> lines = new ArrayList<>();
    String id = "`" + id(d.resource()) + "`";
    if (was.type() != d.type()) {
      lines.add("• " + id + ": " + was.type().label() + " → " + d.type().label());
    }
    for (Risk r : d.risk()) {
      if (!was.risk().contains(r)) {
        lines.add("• " + id + " is now critical: " + riskLine(r).substring(2));
      }
    }
    Map<String, FieldDrift> oldFields = byPath(was.fields());
    Map<String, FieldDrift> newFields = byPath(d.fields());
    for (FieldDrift f : newFields.values()) {
      FieldDrift o = oldFields.get(f.path());
      if (o == null) {
        lines.add("• " + id + " `" + code(f.path()) + "` now differs: " + fieldChange(d, f));
      } else if (!Objects.equals(o.live(), f.live()) || !Objects.equals(o.desired(), f.desired())) {
        lines.add(
            "• "
                + id
                + " `"
                + code(f.path())
                + "`: live "
                + value(d.resource(), o.live())
                + " → "
                + value(d.resource(), f.live())
                + (Objects.equals(o.desired(), f.desired())
                    ? ""
                    : " (desired now " + value(d.resource(), f.desired()) + ")")
                + (f.manager() == null ? "" : " by `" + code(f.manager()) + "`"));
      }
    }
    for (FieldDrift o : oldFields.values()) {
      if (!newFields.containsKey(o.path())) {
        lines.add("• " + id + " `" + code(o.path()) + "` is back in sync");
      }
    }
    if (lines.isEmpty()) {
      lines.add("• " + id + ": details changed (see the message above)");
    }
    return lines;
  }

  private static String fieldChange(ObjectDrift d, FieldDrift f) {
    return value(d.resource(), f.desired())
        + " → "
        + value(d.resource(), f.live())
        + (f.manager() == null ? "" : " by `" + code(f.manager()) + "`");
  }

  /**
   * Thread reply announcing that an incident resolved, with the objects its last scan found back in
   * sync.
   */
  public static SlackMessage resolvedNote(AlertContent c, IncidentChanges last) {
    String when =
        date(c.resolvedAt())
            + (c.since() == null ? "" : " (open for " + duration(c.since(), c.resolvedAt()) + ")");
    Blocks b = new Blocks();
    b.section(
        capLines(
            ":white_check_mark: Resolved at "
                + when
                + (last == null || last.movedToGroup().isEmpty()
                    ? ": live state matches the fleet repo again."
                    : ": what is still drifting is told in a fleet-wide message."),
            last == null ? List.of() : changeLines(last),
            "objects"));
    return new SlackMessage(
        "Resolved at " + UTC.format(c.resolvedAt()) + ": drift on " + esc(c.cluster()), b.array());
  }

  /** Thread reminder while an incident stays open, listing its open objects. */
  public static SlackMessage reminder(AlertContent c, Instant now) {
    String open = c.since() == null ? "" : " for " + duration(c.since(), now);
    List<String> lines =
        c.drifts().stream().map(d -> "• `" + id(d.resource()) + "` " + d.type().label()).toList();
    Blocks b = new Blocks();
    b.section(
        capLines(
            mentionPrefix(c)
                + ":alarm_clock: Still open"
                + open
                + (c.since() == null ? "" : " (since " + date(c.since()) + ")")
                + ":",
            lines,
            "objects"));
    String links = links(c.links());
    if (!links.isEmpty()) {
      b.context(links);
    }
    return new SlackMessage(
        mentionPrefix(c) + "Reminder: drift on " + esc(c.cluster()) + " still open" + open,
        b.array());
  }

  // ---------------------------------------------------------------- fleet messages

  /** A fleet commit that does not render: each error with its file, line and message. */
  public static SlackMessage brokenCommit(
      String commit, String commitUrl, List<RenderError> errors, String mention) {
    String shortCommit = new AlertLinks(commit, commitUrl, null).shortCommit();
    Blocks b = new Blocks();
    b.header(":x: Fleet commit " + SlackText.plain(shortCommit) + " does not render");
    List<String> lines = new ArrayList<>();
    for (RenderError e : errors) {
      String where =
          e.file() == null ? "(no file)" : e.file() + (e.line() > 0 ? ":" + e.line() : "");
      StringBuilder line = new StringBuilder("• `").append(code(where)).append('`');
      List<String> scope = new ArrayList<>();
      if (e.cluster() != null) {
        scope.add("cluster `" + code(e.cluster()) + "`");
      }
      if (e.addon() != null) {
        scope.add("add-on `" + code(e.addon()) + "`");
      }
      if (!scope.isEmpty()) {
        line.append(" (").append(String.join(", ", scope)).append(')');
      }
      line.append("\n      ").append(esc(e.message() == null ? "" : e.message()));
      lines.add(line.toString());
    }
    b.section(
        capLines(
            (SlackText.mention(mention) == null ? "" : SlackText.mention(mention) + " ")
                + "Clusters with a broken render keep their last known state; nothing is compared"
                + " until the fleet repo is fixed.",
            lines,
            "errors"));
    b.context(
        commitUrl == null
            ? "Commit `" + code(commit) + "`"
            : SlackText.link(commitUrl, "Commit `" + code(shortCommit) + "`"));
    RenderError first = errors.isEmpty() ? null : errors.get(0);
    String text =
        "Fleet commit "
            + esc(shortCommit)
            + " does not render"
            + (first == null ? "" : ": " + esc(first.toString()))
            + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
    return new SlackMessage(cut(text, MAX_TEXT), b.array());
  }

  /** The daily digest of one channel: open drifts per cluster and severity, the oldest ones. */
  public static SlackMessage digest(LocalDate day, Instant now, List<Finding> items) {
    Map<String, Map<Severity, Integer>> counts = new TreeMap<>();
    for (Finding item : items) {
      counts
          .computeIfAbsent(item.cluster(), k -> new EnumMap<>(Severity.class))
          .merge(item.drift().severity(), 1, Integer::sum);
    }
    Blocks b = new Blocks();
    b.header(":bar_chart: Drift digest " + day);
    b.section(
        "*"
            + items.size()
            + " open "
            + (items.size() == 1 ? "drift" : "drifts")
            + " on "
            + counts.size()
            + (counts.size() == 1 ? " cluster" : " clusters")
            + "*");
    List<String> perCluster = new ArrayList<>();
    counts.forEach(
        (cluster, bySeverity) -> {
          List<String> parts = new ArrayList<>();
          for (Severity s :
              List.of(Severity.CRITICAL, Severity.MISSING, Severity.DRIFTED, Severity.PENDING)) {
            Integer n = bySeverity.get(s);
            if (n != null) {
              parts.add(n + " " + s.label());
            }
          }
          perCluster.add("• *" + esc(cluster) + "*: " + String.join(", ", parts));
        });
    if (!perCluster.isEmpty()) {
      b.section(capLines("*Per cluster*", perCluster, "clusters"));
    }
    List<String> oldest =
        items.stream()
            .sorted(
                Comparator.comparing(Finding::firstSeen).thenComparing(i -> i.drift().resource()))
            .limit(DIGEST_OLDEST)
            .map(
                i ->
                    "• `"
                        + id(i.drift().resource())
                        + "` "
                        + i.drift().type().label()
                        + ", open for "
                        + duration(i.firstSeen(), now)
                        + " (since "
                        + date(i.firstSeen())
                        + ")")
            .toList();
    if (!oldest.isEmpty()) {
      b.section(capLines("*Oldest open drifts*", oldest, "drifts"));
    }
    String text =
        "Drift digest "
            + day
            + ": "
            + items.size()
            + " open on "
            + counts.size()
            + (counts.size() == 1 ? " cluster" : " clusters");
    return new SlackMessage(text, b.array());
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A title and lines in one text block of at most {@value #MAX_TEXT} characters; lines that do not
   * fit are replaced by "… and N more {what}".
   */
  static String capLines(String title, List<String> lines, String what) {
    StringBuilder text = new StringBuilder(cut(title, MAX_TEXT));
    for (int i = 0; i < lines.size(); i++) {
      String line = "\n" + lines.get(i);
      int rest = lines.size() - i - 1;
      String tail = rest > 0 ? "\n… and " + rest + " more " + what : "";
      // Room for this line and, if more follow, for the suffix counting them.
      String suffixIfCut = "\n… and " + (lines.size() - i) + " more " + what;
      if (text.length() + line.length() + (rest > 0 ? tail.length() : 0) > MAX_TEXT) {
        if (text.length() + suffixIfCut.length() <= MAX_TEXT) {
          text.append(suffixIfCut);
        }
        return text.toString();
      }
      text.append(line);
    }
    return text.toString();
  }

  /**
   * The last blocks of an alert message: its links, then who sent it ({@code origin}), whether it
   * is resolved, and its key.
   */
  static void footer(Blocks b, AlertLinks links, String origin, boolean resolved, String key) {
    String text = links(links);
    if (!text.isEmpty()) {
      b.context(text);
    }
    b.context(
        origin + (resolved ? " · resolved" : "") + (key == null ? "" : " · `" + esc(key) + "`"));
  }

  static String links(AlertLinks links) {
    List<String> parts = new ArrayList<>();
    if (links.pullRequestUrl() != null) {
      parts.add(SlackText.link(links.pullRequestUrl(), ":twisted_rightwards_arrows: Pull request"));
    }
    if (links.commitUrl() != null) {
      parts.add(
          SlackText.link(links.commitUrl(), "Rendered from `" + code(links.shortCommit()) + "`"));
    } else if (links.commit() != null) {
      parts.add("Rendered from `" + code(links.shortCommit()) + "`");
    }
    return String.join(" · ", parts);
  }

  private static Map<String, FieldDrift> byPath(List<FieldDrift> fields) {
    Map<String, FieldDrift> map = new LinkedHashMap<>();
    fields.forEach(f -> map.put(f.path(), f));
    return map;
  }

  static String env(String environment) {
    return environment == null ? "" : " (`" + code(environment) + "`)";
  }

  private static String objects(int n) {
    return n == 1 ? "1 object" : n + " objects";
  }

  static String label(Severity s) {
    return s.label();
  }

  static String icon(Severity s) {
    return switch (s) {
      case CRITICAL -> ":rotating_light:";
      case MISSING -> ":red_circle:";
      case DRIFTED -> ":large_orange_circle:";
      case PENDING -> ":large_blue_circle:";
      default -> ":white_circle:";
    };
  }

  /** A time Slack shows in each reader's time zone, with a UTC fallback. */
  static String date(Instant t) {
    return "<!date^" + t.getEpochSecond() + "^{date_short_pretty} {time}|" + UTC.format(t) + ">";
  }

  /** "2d 3h", "3h 5m", "5m" or "under a minute". */
  static String duration(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    if (d.isNegative() || d.toMinutes() < 1) {
      return "under a minute";
    }
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    if (days > 0) {
      return days + "d " + hours + "h";
    }
    if (hours > 0) {
      return hours + "h " + minutes + "m";
    }
    return minutes + "m";
  }

  /** Untrusted text for mrkdwn (see {@link SlackText#mrkdwn}). */
  static String esc(String s) {
    return SlackText.mrkdwn(s);
  }

  /** An untrusted name (path, manager, file, add-on) for a code span, capped. */
  static String code(String s) {
    return SlackText.mrkdwn(Reflected.cap(s, Reflected.NAME));
  }

  /** A resource id for a code span, each segment capped. */
  static String id(ResourceId id) {
    return SlackText.mrkdwn(Reflected.id(id).toString());
  }

  /** The configured mention and a space, or nothing. */
  private static String mentionPrefix(AlertContent c) {
    String m = SlackText.mention(c.mention());
    return m == null ? "" : m + " ";
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** Builds a blocks array. */
  static final class Blocks {
    private final ArrayNode array = NODES.arrayNode();

    void header(String text) {
      ObjectNode block = array.addObject();
      block.put("type", "header");
      ObjectNode t = block.putObject("text");
      t.put("type", "plain_text");
      t.put("text", cut(text, MAX_HEADER));
      t.put("emoji", true);
    }

    void section(String mrkdwn) {
      array.add(section0(mrkdwn));
    }

    void context(String mrkdwn) {
      ObjectNode block = array.addObject();
      block.put("type", "context");
      ObjectNode e = block.putArray("elements").addObject();
      e.put("type", "mrkdwn");
      e.put("text", cut(mrkdwn, MAX_TEXT));
      e.put("verbatim", true);
    }

    void add(ObjectNode block) {
      array.add(block);
    }

    int size() {
      return array.size();
    }

    ArrayNode array() {
      return array;
    }

    static ObjectNode sectionBlock(String mrkdwn) {
      return section0(mrkdwn);
    }

    private static ObjectNode section0(String mrkdwn) {
      ObjectNode block = NODES.objectNode();
      block.put("type", "section");
      ObjectNode t = block.putObject("text");
      t.put("type", "mrkdwn");
      t.put("text", cut(mrkdwn, MAX_TEXT));
      t.put("verbatim", true);
      return block;
    }
  }
}
