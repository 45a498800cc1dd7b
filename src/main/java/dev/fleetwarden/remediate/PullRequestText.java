package dev.fleetwarden.remediate;

import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.model.DriftMarkdown;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.MarkdownText;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Branch names, titles, bodies, comments and commit messages of remediation PRs. Pure. Every name,
 * value, field manager and reason in them is escaped by {@link MarkdownText} (or arrives escaped in
 * a planner's explanation): it cannot add HTML, a link, an image or a mention.
 */
public final class PullRequestText {
  /** Prefix of every remediation branch. */
  public static final String BRANCH_PREFIX = "fleetwarden/drift/";

  private static final int MAX_TITLE = 100;
  private static final Pattern SAFE_URL =
      Pattern.compile("https://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+");

  private PullRequestText() {}

  /** {@code fleetwarden/drift/<cluster>/<first 10 characters of the fingerprint>}. */
  public static String branch(String cluster, String fingerprint) {
    if (!RepoPaths.isSafeSegment(cluster)
        || fingerprint == null
        || !fingerprint.matches("[A-Za-z0-9]{" + RemediationPlanner.SHORT_FINGERPRINT + ",}")) {
      throw new IllegalArgumentException(
          "cannot name a branch after cluster '"
              + cluster
              + "' and fingerprint '"
              + fingerprint
              + "'");
    }
    return BRANCH_PREFIX
        + cluster
        + "/"
        + fingerprint.substring(0, RemediationPlanner.SHORT_FINGERPRINT);
  }

  /**
   * {@code Adopt live <path> of <kind/namespace/name> on <cluster>}, at most {@value #MAX_TITLE}
   * characters; GitHub links mentions and references in titles, so every part is {@linkplain
   * MarkdownText#plain plain}.
   */
  public static String title(ObjectDrift drift) {
    ResourceId id = Reflected.id(drift.resource());
    List<FieldDrift> fields = drift.fields();
    String what =
        fields.size() == 1
            ? MarkdownText.plain(Reflected.cap(fields.get(0).path(), Reflected.NAME))
            : fields.size() + " fields";
    String t =
        "Adopt live "
            + what
            + " of "
            + MarkdownText.plain(id.withinCluster())
            + " on "
            + MarkdownText.plain(id.cluster());
    return shorten(t, MAX_TITLE);
  }

  /**
   * At most {@code max} characters, cut at the last space, slash or dot that keeps a readable title
   * (never mid-word unless one word is longer than the limit), with "…" marking the cut.
   */
  static String shorten(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = max - 1;
    for (int i = cut; i > max / 2; i--) {
      char c = text.charAt(i);
      if (c == ' ' || c == '/' || c == '.') {
        cut = c == ' ' ? i : i + 1;
        break;
      }
    }
    return text.substring(0, cut).stripTrailing() + "…";
  }

  /**
   * The pull request description: the drift, the alert, the change, its blast radius, choices.
   * Names and values are escaped by {@link MarkdownText} (the drift through {@link
   * DriftMarkdown#object}, the explanation by the planner that wrote it).
   */
  public static String body(Finding tracked, String alertUrl, ChangeSet change) {
    ObjectDrift drift = tracked.drift();
    StringBuilder sb = new StringBuilder();
    sb.append("## Drift on cluster ").append(cluster(drift)).append("\n\n");
    sb.append(DriftMarkdown.object(drift));
    if (alertUrl != null) {
      sb.append("Alert: ").append(url(alertUrl)).append("\n\n");
    }
    sb.append("### The change\n\n").append(adoptions(change)).append(change.explanation());
    sb.append("\n\n**Blast radius:** merging changes the desired state of ")
        .append(change.affectedClusters().size() == 1 ? "cluster " : "clusters ")
        .append(
            String.join(
                ", ",
                change.affectedClusters().stream()
                    .map(c -> MarkdownText.code(Reflected.cap(c, Reflected.NAME)))
                    .toList()))
        .append(".\n");
    boolean cloud = change.strategy() == ChangeSet.Strategy.INFRASTRUCTURE_EDIT;
    if (change.verified()) {
      int n = drift.fields().size();
      sb.append(cloud ? "Checked by re-synthesizing the stack of " : "Checked by re-rendering ")
          .append(cluster(drift))
          .append(" with this change: only the drifted ")
          .append(cloud ? "attribute" : "field")
          .append(
              n == 1 ? " changes, to the live value.\n" : "s change, each to the live value.\n");
    }
    sb.append("\n### What to do\n\n")
        .append("- **Merge** to adopt the live value into the fleet repo.\n")
        .append(
            cloud
                ? "- **Close** to keep Git's value and let fleetwarden alert until someone reverts"
                    + " the cloud resource (`terraform apply`).\n\n"
                : "- **Close** to keep Git's value and let fleetwarden alert until someone reverts"
                    + " the cluster.\n\n");
    sb.append("<sub>fleetwarden drift ")
        .append(MarkdownText.code(tracked.fingerprint()))
        .append("</sub>\n");
    return sb.toString();
  }

  /**
   * The one commit's message: what drifted, from what to what, who changed it and when. Plain text,
   * one line per field: every name and value is {@linkplain MarkdownText#plain plain}.
   */
  public static String commitMessage(Finding tracked, ChangeSet change) {
    ObjectDrift drift = tracked.drift();
    StringBuilder sb = new StringBuilder(title(drift)).append("\n\n");
    sb.append(MarkdownText.plain(Reflected.id(drift.resource()).toString()))
        .append(" drifted from the fleet repo:\n");
    for (FieldDrift f : drift.fields()) {
      sb.append("- ")
          .append(MarkdownText.plain(Reflected.cap(f.path(), Reflected.NAME)))
          .append(": ")
          .append(MarkdownText.plain(Reflected.show(f.desired())))
          .append(" -> ")
          .append(MarkdownText.plain(Reflected.show(f.live())));
      if (f.manager() != null) {
        sb.append(" (changed by ")
            .append(MarkdownText.plain(Reflected.cap(f.manager(), Reflected.NAME)));
        if (f.time() != null) {
          sb.append(" at ").append(f.time());
        }
        sb.append(')');
      } else if (drift.source() == dev.fleetwarden.model.DriftSource.TERRAFORM) {
        sb.append(" (changed outside Terraform)");
      } else {
        sb.append(" (changed by an unknown field manager)");
      }
      sb.append('\n');
    }
    if (!change.adoptions().isEmpty()) {
      sb.append("\nAdopted in:\n");
      for (ChangeSet.Adoption a : change.adoptions()) {
        sb.append("- ")
            .append(MarkdownText.plain(Reflected.cap(a.path(), Reflected.NAME)))
            .append(": ")
            .append(MarkdownText.plain(Reflected.cap(a.file(), Reflected.NAME)))
            .append(a.line() > 0 ? ":" + a.line() : "")
            .append(" (")
            .append(a.strategy().label())
            .append(")\n");
      }
    }
    sb.append('\n').append(plainLines(change.explanation().replace("`", ""))).append("\n\n");
    sb.append("Drift-Fingerprint: ").append(MarkdownText.plain(tracked.fingerprint())).append('\n');
    return sb.toString();
  }

  public static String changedComment(Finding tracked, ChangeSet change) {
    return "The drift changed, so fleetwarden force-updated this branch to adopt the new live"
        + " value.\n\n"
        + DriftMarkdown.object(tracked.drift())
        + adoptions(change)
        + change.explanation()
        + "\n\n<sub>fleetwarden drift "
        + MarkdownText.code(tracked.fingerprint())
        + "</sub>\n";
  }

  public static String resolvedComment(PullRequestState record) {
    return "The drift of "
        + MarkdownText.code(Reflected.cap(record.resource(), Reflected.NAME))
        + " is gone: the cluster matches the fleet repo again. fleetwarden closes this pull"
        + " request; nothing needs adopting.";
  }

  /** {@code reason} is a planner's reason, which quotes names and values: shown as inert text. */
  public static String unadoptableComment(String reason) {
    return "The drift changed and no change of the fleet repo can adopt the new live value ("
        + MarkdownText.text(reason)
        + "). fleetwarden closes this pull request; the alert stays open.";
  }

  /**
   * Where each drifted field goes, one table row per field ({@code | field | adopted in |}), then a
   * blank line; empty when the change set does not say per field.
   */
  static String adoptions(ChangeSet change) {
    if (change.adoptions().isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("| field | adopted in |\n|---|---|\n");
    for (ChangeSet.Adoption a : change.adoptions()) {
      sb.append("| ")
          .append(MarkdownText.codeCell(Reflected.cap(a.path(), Reflected.NAME)))
          .append(" | ")
          .append(place(a))
          .append(' ')
          .append(
              MarkdownText.codeCell(
                  Reflected.cap(a.file(), Reflected.NAME) + (a.line() > 0 ? ":" + a.line() : "")))
          .append(" |\n");
    }
    return sb.append('\n').toString();
  }

  /** How a field is adopted, in words: the kind of line edited, or the new patch. */
  private static String place(ChangeSet.Adoption a) {
    return switch (a.strategy()) {
      case MANIFEST_EDIT -> "manifest line";
      case VALUE_EDIT ->
          a.file().matches("clusters/[^/]+/patches/[^/]+")
              ? "patch line"
              : "values line "
                  + MarkdownText.codeCell(Reflected.cap(a.pointer(), Reflected.NAME))
                  + " in";
      case PATCH_FILE -> "new patch (this cluster only)";
      case INFRASTRUCTURE_EDIT -> "infrastructure input";
      case MIXED -> "several places";
    };
  }

  private static String cluster(ObjectDrift drift) {
    return MarkdownText.code(Reflected.cap(drift.resource().cluster(), Reflected.NAME));
  }

  /** A URL GitHub may link as it is, else shown as text. */
  private static String url(String url) {
    return SAFE_URL.matcher(url).matches() && url.length() <= Reflected.NAME
        ? url
        : MarkdownText.code(url);
  }

  /** Each line of already escaped text made plain, keeping the lines. */
  private static String plainLines(String text) {
    StringBuilder sb = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      sb.append(i == 0 ? "" : "\n").append(MarkdownText.plain(lines[i]));
    }
    return sb.toString();
  }

  /** The branch of a fleet-wide group's pull request, named after the group's fingerprint. */
  public static String groupBranch(String groupFingerprint) {
    return "fleetwarden/group/"
        + groupFingerprint.substring(
            0, Math.min(RemediationPlanner.SHORT_FINGERPRINT, groupFingerprint.length()));
  }

  /** A group's title: the object, the fields, the number of clusters. */
  public static String groupTitle(List<Finding> members) {
    ObjectDrift drift = members.get(0).drift();
    List<FieldDrift> fields = drift.fields();
    String what =
        fields.size() == 1
            ? MarkdownText.plain(Reflected.cap(fields.get(0).path(), Reflected.NAME))
            : fields.size() + " fields";
    return shorten(
        "Adopt live "
            + what
            + " of "
            + MarkdownText.plain(Reflected.id(drift.resource()).withinCluster())
            + " on "
            + members.size()
            + (members.size() == 1 ? " cluster" : " clusters"),
        MAX_TITLE);
  }

  /** A group's description: its clusters, the drift, the layer chosen, the change. */
  public static String groupBody(
      String groupFingerprint, List<Finding> members, String layer, ChangeSet change) {
    ObjectDrift drift = members.get(0).drift();
    StringBuilder sb = new StringBuilder();
    sb.append("## The same drift on ")
        .append(members.size())
        .append(members.size() == 1 ? " cluster: " : " clusters: ")
        .append(clusters(members))
        .append("\n\n");
    sb.append(DriftMarkdown.object(drift));
    sb.append("### The change\n\nAdopted at the lowest layer the clusters share: ")
        .append(MarkdownText.code(Reflected.cap(layer, Reflected.NAME)))
        .append(".\n\n")
        .append(change.explanation());
    sb.append("\n\nChecked by re-rendering every cluster of the fleet with this change: each")
        .append(" cluster of the group renders exactly its live values, every other cluster")
        .append(" renders as before.\n");
    sb.append("\n### What to do\n\n")
        .append("- **Merge** to adopt the live value into the fleet repo.\n")
        .append(
            "- **Close** to keep Git's value and let fleetwarden alert until someone reverts"
                + " the clusters.\n\n");
    sb.append("<sub>fleetwarden drift group ")
        .append(MarkdownText.code(groupFingerprint))
        .append("</sub>\n");
    return sb.toString();
  }

  /** A group's one commit: the title, the clusters, the layer, the explanation in plain text. */
  public static String groupCommitMessage(
      String groupFingerprint, List<Finding> members, String layer, ChangeSet change) {
    return groupTitle(members)
        + "\n\nThe same drift of "
        + MarkdownText.plain(Reflected.id(members.get(0).drift().resource()).withinCluster())
        + " on clusters "
        + String.join(
            ", ",
            members.stream()
                .map(m -> MarkdownText.plain(Reflected.cap(m.cluster(), Reflected.NAME)))
                .toList())
        + ", adopted at "
        + MarkdownText.plain(Reflected.cap(layer, Reflected.NAME))
        + ".\n\n"
        + plainLines(change.explanation().replace("`", ""))
        + "\n\nDrift-Group: "
        + MarkdownText.plain(groupFingerprint)
        + "\n";
  }

  /** The comment when a group's clusters changed and its branch was updated. */
  public static String groupChangedComment(List<Finding> members, String layer) {
    return "The drift's clusters changed; the branch now adopts the live value for "
        + clusters(members)
        + " at "
        + MarkdownText.code(Reflected.cap(layer, Reflected.NAME))
        + ".";
  }

  /**
   * The comment on an open ignore-rule pull request whose clusters changed: the rule is the same,
   * the evidence is now these clusters'.
   */
  public static String ignoreMembersComment(List<Finding> members) {
    return "The drift's clusters changed; the same controller-written drift is now on "
        + clusters(members)
        + ". The rule is unchanged.";
  }

  /** The comment closing a cluster's own pull request that a group's pull request replaces. */
  public static String supersededComment(String groupUrl) {
    return "The same drift is now on several clusters: one pull request adopts it for all of them"
        + (groupUrl == null ? "" : ", " + url(groupUrl))
        + ". Closing this one.";
  }

  /** The branch of a group's ignore-rule pull request, named after the group's fingerprint. */
  public static String ignoreBranch(String groupFingerprint) {
    return "fleetwarden/ignore/"
        + groupFingerprint.substring(
            0, Math.min(RemediationPlanner.SHORT_FINGERPRINT, groupFingerprint.length()));
  }

  /** {@code Ignore <what> of <object> (N clusters)}: the controller, or the path, or the count. */
  public static String ignoreTitle(List<Finding> members, IgnoreRulePlanner.Proposal proposal) {
    ObjectDrift drift = members.get(0).drift();
    String what =
        proposal.form() == IgnoreRulePlanner.Form.MANAGER
            ? MarkdownText.plain(Reflected.cap(proposal.rule().managers().get(0), Reflected.NAME))
                + "'s writes to"
            : drift.fields().size() == 1
                ? MarkdownText.plain(Reflected.cap(drift.fields().get(0).path(), Reflected.NAME))
                    + " of"
                : drift.fields().size() + " fields of";
    return shorten(
        "Ignore "
            + what
            + " "
            + MarkdownText.plain(Reflected.id(drift.resource()).withinCluster())
            + " ("
            + members.size()
            + " clusters)",
        MAX_TITLE);
  }

  /**
   * An ignore-rule pull request's description: the rule and where it goes, then the evidence (the
   * clusters with the field manager, time and first sighting of each, the drifted fields with their
   * values as recorded: Secret values are hashes already), and what merging or closing does.
   */
  public static String ignoreBody(
      String groupFingerprint, List<Finding> members, IgnoreRulePlanner.Proposal proposal) {
    ObjectDrift drift = members.get(0).drift();
    StringBuilder sb = new StringBuilder();
    sb.append("## Controller-written drift on ")
        .append(members.size())
        .append(" clusters: ignore it\n\n");
    sb.append("Every drifted field of ")
        .append(MarkdownText.code(Reflected.id(drift.resource()).withinCluster()))
        .append(" was last written by ")
        .append(
            proposal.form() == IgnoreRulePlanner.Form.MANAGER
                ? "the controller " + name(proposal.rule().managers().get(0))
                : "controllers (no human-operated client)")
        .append(", with the same values on every cluster: the field belongs to ")
        .append(proposal.form() == IgnoreRulePlanner.Form.MANAGER ? "it" : "them")
        .append(", not to the fleet repo. This adds a ")
        .append(MarkdownText.code("drift.ignore"))
        .append(" rule ")
        .append(
            proposal.form() == IgnoreRulePlanner.Form.MANAGER
                ? "by field manager"
                : "by path (more than one controller wrote the fields)")
        .append(" to ")
        .append(MarkdownText.code(Reflected.cap(proposal.file(), Reflected.NAME)))
        .append(", instead of a pull request adopting the live values.\n\n");
    sb.append("### The rule\n\n| | |\n|---|---|\n");
    IgnoreRule rule = proposal.rule();
    row(sb, "group", rule.group() == null ? null : rule.group().isEmpty() ? "\"\"" : rule.group());
    row(sb, "kind", rule.kind());
    row(sb, "namespace", rule.namespace());
    row(sb, "name", rule.name());
    if (!rule.managers().isEmpty()) {
      row(sb, "managers", String.join(", ", rule.managers()));
    }
    for (String pointer : rule.pointers()) {
      row(sb, "pointer", pointer);
    }
    sb.append("\n### Evidence\n\n| cluster | first seen | field managers |\n|---|---|---|\n");
    for (Finding m : members) {
      java.util.Set<String> managers = new java.util.TreeSet<>();
      m.drift()
          .fields()
          .forEach(f -> managers.add(f.manager() + (f.time() == null ? "" : " at " + f.time())));
      sb.append("| ")
          .append(MarkdownText.codeCell(Reflected.cap(m.cluster(), Reflected.NAME)))
          .append(" | ")
          .append(m.firstSeen() == null ? "" : m.firstSeen().toString())
          .append(" | ")
          .append(MarkdownText.codeCell(Reflected.cap(String.join(", ", managers), Reflected.NAME)))
          .append(" |\n");
    }
    sb.append('\n').append(DriftMarkdown.object(drift));
    sb.append("\nChecked with the edited ")
        .append(MarkdownText.code(Reflected.cap(proposal.file(), Reflected.NAME)))
        .append(": the add-on's rules ignore every drifted field on each of these clusters and")
        .append(" no other open drift of the fleet.\n");
    sb.append("\n### What to do\n\n")
        .append("- **Merge** to stop reporting these fields: the controller keeps them.\n")
        .append(
            "- **Close** to keep Git's values: fleetwarden then proposes adopting the live"
                + " values instead, and alerts until someone reverts the clusters.\n\n");
    sb.append("<sub>fleetwarden drift group ")
        .append(MarkdownText.code(groupFingerprint))
        .append("</sub>\n");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String key, String value) {
    if (value != null) {
      sb.append("| ")
          .append(key)
          .append(" | ")
          .append(MarkdownText.codeCell(Reflected.cap(value, Reflected.NAME)))
          .append(" |\n");
    }
  }

  private static String name(String s) {
    return MarkdownText.code(Reflected.cap(s, Reflected.NAME));
  }

  /** An ignore-rule pull request's one commit, plain text. */
  public static String ignoreCommitMessage(
      String groupFingerprint, List<Finding> members, IgnoreRulePlanner.Proposal proposal) {
    return ignoreTitle(members, proposal)
        + "\n\nEvery drifted field was last written by "
        + MarkdownText.plain(
            Reflected.cap(String.join(", ", IgnoreRulePlanner.managers(members)), Reflected.NAME))
        + " on clusters "
        + String.join(
            ", ",
            members.stream()
                .map(m -> MarkdownText.plain(Reflected.cap(m.cluster(), Reflected.NAME)))
                .toList())
        + ": an ignore rule in "
        + MarkdownText.plain(Reflected.cap(proposal.file(), Reflected.NAME))
        + " instead of adopting the live values.\n\nDrift-Group: "
        + MarkdownText.plain(groupFingerprint)
        + "\n";
  }

  /** The comment closing an adoption pull request that an ignore rule replaces. */
  public static String ignoredInsteadComment(String ignoreUrl) {
    return "Only controllers write this drift, on enough clusters that it is noise: a pull request"
        + " adds an ignore rule for it instead"
        + (ignoreUrl == null ? "" : ", " + url(ignoreUrl))
        + ". Closing this one.";
  }

  private static String clusters(List<Finding> members) {
    return String.join(
        ", ",
        members.stream()
            .map(m -> MarkdownText.code(Reflected.cap(m.cluster(), Reflected.NAME)))
            .toList());
  }
}
