package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.ScanOutcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scan of one cluster (or one watch verdict on some of its objects) as the drift ledger
 * recorded it, with what routing and the messages need besides: the cluster's routing context,
 * every finding of the cluster open after it, the fleet commit, and the remediation pull request of
 * each fingerprint that has one.
 *
 * <p>{@code open} is what the cluster's incidents show: a verdict's outcome covers only the objects
 * it judged, so the caller reads the cluster's open findings from the ledger. A fleet-wide group
 * message can take drifts out of the cluster's incidents by leaving them out of {@code open} and of
 * the outcome alike.
 *
 * @param outcome what the scan changed: new, changed, resolved and still open findings
 * @param open every finding of the cluster open after the scan (both sources)
 * @param commit the fleet commit the desired state was rendered from (may be null)
 * @param commitUrl a web URL of that commit (may be null)
 * @param pullRequestUrls pull request URL by fingerprint (of the current finding of a change)
 * @param movedToGroup findings among the outcome's resolved ones that did not resolve but moved to
 *     a fleet-wide group message ({@link FleetGroups#incidentView}): how the group is named, by
 *     fingerprint
 */
public record ClusterFindings(
    ClusterContext cluster,
    ScanOutcome outcome,
    List<Finding> open,
    String commit,
    String commitUrl,
    Map<String, String> pullRequestUrls,
    Map<String, String> movedToGroup) {

  public ClusterFindings {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(outcome, "outcome");
    open = open == null ? outcome.open() : List.copyOf(open);
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
    movedToGroup = movedToGroup == null ? Map.of() : Map.copyOf(movedToGroup);
  }

  /** A scan of which no drift moved to a fleet-wide group message. */
  public ClusterFindings(
      ClusterContext cluster,
      ScanOutcome outcome,
      List<Finding> open,
      String commit,
      String commitUrl,
      Map<String, String> pullRequestUrls) {
    this(cluster, outcome, open, commit, commitUrl, pullRequestUrls, Map.of());
  }

  /**
   * A scan whose outcome lists every open finding of the cluster (a full scan of both sources):
   * {@code open} is the outcome's.
   */
  public ClusterFindings(
      ClusterContext cluster,
      ScanOutcome outcome,
      String commit,
      String commitUrl,
      Map<String, String> pullRequestUrls) {
    this(cluster, outcome, null, commit, commitUrl, pullRequestUrls, Map.of());
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
