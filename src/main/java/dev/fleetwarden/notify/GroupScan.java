package dev.fleetwarden.notify;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One scan (or watch verdict) as the group messages see it: the groups before and after it, the
 * routing context of every cluster of the fleet by name, the fleet commit, and the remediation pull
 * request of each member finding that has one.
 *
 * @param at when the scan ran: the planner's "now" (reminders, dedup keys)
 * @param commit the fleet commit the desired state was rendered from (may be null)
 * @param commitUrl a web URL of that commit (may be null)
 * @param pullRequestUrls pull request URL by finding fingerprint
 */
public record GroupScan(
    FleetGroups groups,
    Map<String, ClusterContext> clusters,
    Instant at,
    String commit,
    String commitUrl,
    Map<String, String> pullRequestUrls) {

  public GroupScan {
    Objects.requireNonNull(groups, "groups");
    Objects.requireNonNull(at, "at");
    clusters = clusters == null ? Map.of() : Map.copyOf(clusters);
    Map<String, String> urls = new HashMap<>();
    if (pullRequestUrls != null) {
      pullRequestUrls.forEach(
          (fingerprint, url) -> {
            if (fingerprint != null && url != null) {
              urls.put(fingerprint, url);
            }
          });
    }
    pullRequestUrls = Map.copyOf(urls);
  }
}
