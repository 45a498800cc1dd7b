package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.ScanOutcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One scan of one cluster as the drift ledger recorded it, with what routing and the messages need
 * besides: the cluster's routing context, the fleet commit, and the remediation pull request of
 * each fingerprint that has one.
 *
 * @param outcome what the scan changed: new, changed, resolved and still open findings
 * @param commit the fleet commit the desired state was rendered from (may be null)
 * @param commitUrl a web URL of that commit (may be null)
 * @param pullRequestUrls pull request URL by fingerprint (of the current finding of a change)
 */
public record ClusterFindings(
    ClusterContext cluster,
    ScanOutcome outcome,
    String commit,
    String commitUrl,
    Map<String, String> pullRequestUrls) {

  public ClusterFindings {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(outcome, "outcome");
    Map<String, String> urls = new HashMap<>();
    if (pullRequestUrls != null) {
      pullRequestUrls.forEach(
          (fingerprint, url) -> {
            if (url != null) {
              urls.put(fingerprint, url);
            }
          });
    }
    pullRequestUrls = Map.copyOf(urls);
  }

  /** When the scan ran: the planner's "now" (reminders, dedup keys). */
  public Instant scannedAt() {
    return outcome.at();
  }

  /** The pull request of a fingerprint, or null. */
  public String pullRequestUrl(String fingerprint) {
    return pullRequestUrls.get(fingerprint);
  }
}
