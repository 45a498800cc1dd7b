package dev.fleetwarden.remediate;

import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.report.ReportMarkdown;
import java.util.List;

/** Branch names, titles, bodies, comments and commit messages of remediation PRs. Pure. */
public final class PullRequestText {
  /** Prefix of every remediation branch. */
  public static final String BRANCH_PREFIX = "fleetwarden/drift/";

  private static final int MAX_TITLE = 100;

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

  public static String title(ObjectDrift drift) {
    ResourceId id = drift.resource();
    List<FieldDrift> fields = drift.fields();
    String what = fields.size() == 1 ? fields.get(0).path() : fields.size() + " fields";
    String t = "Adopt live " + what + " of " + id.withinCluster() + " on " + id.cluster();
    return t.length() > MAX_TITLE ? t.substring(0, MAX_TITLE - 1) + "…" : t;
  }

  /** The pull request description: the drift, the alert, the change, its blast radius, choices. */
  public static String body(TrackedDrift tracked, ChangeSet change) {
    ObjectDrift drift = tracked.drift();
    StringBuilder sb = new StringBuilder();
    sb.append("## Drift on cluster `").append(drift.resource().cluster()).append("`\n\n");
    sb.append(ReportMarkdown.object(drift));
    if (tracked.alertUrl() != null) {
      sb.append("Alert: ").append(tracked.alertUrl()).append("\n\n");
    }
    sb.append("### The change\n\n").append(change.explanation()).append("\n\n");
    sb.append("**Blast radius:** merging changes the desired state of ")
        .append(change.affectedClusters().size() == 1 ? "cluster " : "clusters ")
        .append(String.join(", ", change.affectedClusters()))
        .append(".\n");
    boolean cloud = change.strategy() == ChangeSet.Strategy.INFRASTRUCTURE_EDIT;
    if (change.verified()) {
      int n = drift.fields().size();
      sb.append(cloud ? "Checked by re-synthesizing the stack of `" : "Checked by re-rendering `")
          .append(drift.resource().cluster())
          .append("` with this change: only the drifted ")
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
    sb.append("<sub>fleetwarden drift `").append(tracked.fingerprint()).append("`</sub>\n");
    return sb.toString();
  }

  /** The one commit's message: what drifted, from what to what, who changed it and when. */
  public static String commitMessage(TrackedDrift tracked, ChangeSet change) {
    ObjectDrift drift = tracked.drift();
    StringBuilder sb = new StringBuilder(title(drift)).append("\n\n");
    sb.append(drift.resource()).append(" drifted from the fleet repo:\n");
    for (FieldDrift f : drift.fields()) {
      sb.append("- ")
          .append(f.path())
          .append(": ")
          .append(JsonValues.show(f.desired()))
          .append(" -> ")
          .append(JsonValues.show(f.live()));
      if (f.manager() != null) {
        sb.append(" (changed by ").append(f.manager());
        if (f.time() != null) {
          sb.append(" at ").append(f.time());
        }
        sb.append(')');
      } else {
        sb.append(" (changed by an unknown field manager)");
      }
      sb.append('\n');
    }
    sb.append('\n').append(change.explanation().replace("`", "")).append("\n\n");
    sb.append("Drift-Fingerprint: ").append(tracked.fingerprint()).append('\n');
    return sb.toString();
  }

  public static String changedComment(TrackedDrift tracked, ChangeSet change) {
    return "The drift changed, so fleetwarden force-updated this branch to adopt the new live"
        + " value.\n\n"
        + ReportMarkdown.object(tracked.drift())
        + change.explanation()
        + "\n\n<sub>fleetwarden drift `"
        + tracked.fingerprint()
        + "`</sub>\n";
  }

  public static String resolvedComment(PrRecord record) {
    return "The drift of `"
        + record.resource()
        + "` is gone: the cluster matches the fleet repo again. fleetwarden closes this pull"
        + " request; nothing needs adopting.";
  }

  public static String unadoptableComment(String reason) {
    return "The drift changed and no change of the fleet repo can adopt the new live value ("
        + reason
        + "). fleetwarden closes this pull request; the alert stays open.";
  }
}
