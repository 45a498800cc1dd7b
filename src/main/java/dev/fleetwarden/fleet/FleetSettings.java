package dev.fleetwarden.fleet;

import java.util.List;
import java.util.Map;

/**
 * Fleet-wide settings from {@code fleet.yaml}: defaults, notification routes, the pull-request
 * target and the drift settings.
 */
public record FleetSettings(
    String name,
    String defaultKubeVersion,
    Remediation defaultRemediation,
    List<NotificationRoute> routes,
    PullRequestSettings pullRequests,
    List<String> humanManagers) {

  /**
   * The field managers of human-operated clients: a live-only field or object one of them wrote is
   * drift of type {@code added}; the same write by any other manager (a controller, a mutating
   * webhook) is not. {@code spec.drift.humanManagers} in {@code fleet.yaml} replaces this list.
   */
  public static final List<String> DEFAULT_HUMAN_MANAGERS =
      List.of(
          "kubectl",
          "kubectl-edit",
          "kubectl-patch",
          "kubectl-client-side-apply",
          "kubectl-set",
          "kubectl-label",
          "kubectl-annotate",
          "kubectl-scale",
          "kubectl-create",
          "kubectl-replace");

  public FleetSettings {
    routes = List.copyOf(routes);
    humanManagers = humanManagers == null ? DEFAULT_HUMAN_MANAGERS : List.copyOf(humanManagers);
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
