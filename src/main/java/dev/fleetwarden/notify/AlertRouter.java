package dev.fleetwarden.notify;

import dev.fleetwarden.fleet.FleetSettings.NotificationRoute;
import dev.fleetwarden.model.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the channel of an alert from the {@code fleet.yaml} notification routes: the first route
 * whose conditions all hold wins (environment, every listed cluster label, add-on owner, a least
 * severity: {@code severity: critical} takes critical drift only, {@code missing} missing and
 * critical; an absent condition holds for anything). Pure.
 */
public final class AlertRouter {
  private final List<NotificationRoute> routes;
  private final Route fallback;

  /**
   * @param routes the routes in {@code fleet.yaml} order
   * @param fallbackChannel channel used when no route matches; null to leave such alerts unrouted
   */
  public AlertRouter(List<NotificationRoute> routes, String fallbackChannel) {
    this.routes = List.copyOf(routes);
    this.fallback = fallbackChannel == null ? null : new Route(fallbackChannel, null);
  }

  /** The route of a drift of an add-on owned by {@code addonOwner} (may be null) on a cluster. */
  public Optional<Route> route(ClusterContext cluster, String addonOwner) {
    return route(cluster, addonOwner, null);
  }

  /**
   * The route of a drift of {@code severity} (null: unknown, matches no route that asks for one) of
   * an add-on owned by {@code addonOwner} (may be null) on a cluster.
   */
  public Optional<Route> route(ClusterContext cluster, String addonOwner, Severity severity) {
    for (NotificationRoute r : routes) {
      if (matches(r, cluster.environment(), cluster.labels(), addonOwner)
          && (r.severity() == null || atLeast(severity, r.severity()))) {
        return Optional.of(new Route(r.channel(), r.mention()));
      }
    }
    return Optional.ofNullable(fallback);
  }

  private static boolean atLeast(Severity severity, Severity least) {
    return severity != null && severity != Severity.UNKNOWN && severity.compareTo(least) >= 0;
  }

  /**
   * The route of fleet-wide messages that concern no single cluster (a broken fleet commit): the
   * first route without conditions, else the fallback channel.
   */
  public Optional<Route> fleetWide() {
    for (NotificationRoute r : routes) {
      if (r.environment() == null
          && r.clusterLabels().isEmpty()
          && r.addonOwner() == null
          && r.severity() == null) {
        return Optional.of(new Route(r.channel(), r.mention()));
      }
    }
    return Optional.ofNullable(fallback);
  }

  static boolean matches(
      NotificationRoute r, String environment, Map<String, String> labels, String owner) {
    if (r.environment() != null && !r.environment().equals(environment)) {
      return false;
    }
    if (r.addonOwner() != null && !r.addonOwner().equals(owner)) {
      return false;
    }
    return r.clusterLabels().entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
