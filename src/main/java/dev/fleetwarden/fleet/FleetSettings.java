package dev.fleetwarden.fleet;

import java.util.List;
import java.util.Map;

/**
 * Fleet-wide settings from {@code fleet.yaml}: defaults, notification routes and the pull-request
 * target.
 */
public record FleetSettings(
    String name,
    String defaultKubeVersion,
    Remediation defaultRemediation,
    List<NotificationRoute> routes,
    PullRequestSettings pullRequests) {

  public FleetSettings {
    routes = List.copyOf(routes);
  }

  /**
   * A routing rule: drift matching every given condition (environment, cluster labels, add-on
   * owner; absent conditions match anything) goes to {@code channel}, with an optional mention. The
   * first matching route wins.
   */
  public record NotificationRoute(
      String environment,
      Map<String, String> clusterLabels,
      String addonOwner,
      String channel,
      String mention) {
    public NotificationRoute {
      clusterLabels = clusterLabels == null ? Map.of() : Map.copyOf(clusterLabels);
    }
  }

  /** Where remediation pull requests go. */
  public record PullRequestSettings(String repository, String baseBranch, List<String> labels) {
    public PullRequestSettings {
      labels = labels == null ? List.of() : List.copyOf(labels);
    }
  }
}
