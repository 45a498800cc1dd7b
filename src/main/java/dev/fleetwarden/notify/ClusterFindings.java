package dev.fleetwarden.notify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The findings of one scan of one cluster, as the drift lifecycle classified them: new drifts,
 * changed drifts, resolved drifts and drifts still open unchanged. Several findings of one category
 * may share a fingerprint: they form one message.
 *
 * @param scannedAt when the scan ran: the planner's "now" (reminders, dedup keys)
 * @param commit the fleet commit the desired state was rendered from (may be null)
 * @param commitUrl a web URL of that commit (may be null)
 */
public record ClusterFindings(
    ClusterContext cluster,
    Instant scannedAt,
    String commit,
    String commitUrl,
    List<Finding> added,
    List<ChangedFinding> changed,
    List<ResolvedFinding> resolved,
    List<Finding> open) {

  public ClusterFindings {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(scannedAt, "scannedAt");
    added = added == null ? List.of() : List.copyOf(added);
    changed = changed == null ? List.of() : List.copyOf(changed);
    resolved = resolved == null ? List.of() : List.copyOf(resolved);
    open = open == null ? List.of() : List.copyOf(open);
  }
}
