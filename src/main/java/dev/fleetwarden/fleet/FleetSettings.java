package dev.fleetwarden.fleet;

import dev.fleetwarden.model.RiskRule;
import dev.fleetwarden.model.Severity;
import java.util.List;
import java.util.Map;

/**
 * Fleet-wide settings from {@code fleet.yaml}: defaults, notification routes, the pull-request
 * target and the drift settings: who counts as a person for {@code added} drift, and the risk rules
 * drift is ranked by (the defaults unless {@code spec.drift.risk} says otherwise, see {@link
 * RiskRules}).
 */
public record FleetSettings(
    String name,
    String defaultKubeVersion,
    Remediation defaultRemediation,
    List<NotificationRoute> routes,
    PullRequestSettings pullRequests,
    List<String> humanManagers,
    List<RiskRule> riskRules) {

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
    riskRules = riskRules == null ? RiskRules.defaults() : List.copyOf(riskRules);
  }

  /**
   * A routing rule: drift matching every given condition (environment, cluster labels, add-on
   * owner, a least severity such as {@code critical}; absent conditions match anything) goes to
   * {@code channel}, with an optional mention. The first matching route wins.
   */
  public record NotificationRoute(
      String environment,
      Map<String, String> clusterLabels,
      String addonOwner,
      String channel,
      String mention,
      Severity severity) {
    public NotificationRoute {
      clusterLabels = clusterLabels == null ? Map.of() : Map.copyOf(clusterLabels);
    }

    /** A route without a severity condition. */
    public NotificationRoute(
        String environment,
        Map<String, String> clusterLabels,
        String addonOwner,
        String channel,
        String mention) {
      this(environment, clusterLabels, addonOwner, channel, mention, null);
    }
  }

  /** Where remediation pull requests go. */
  public record PullRequestSettings(String repository, String baseBranch, List<String> labels) {
    public PullRequestSettings {
      labels = labels == null ? List.of() : List.copyOf(labels);
    }
  }
}
