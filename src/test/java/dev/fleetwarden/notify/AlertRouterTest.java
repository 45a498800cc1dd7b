package dev.fleetwarden.notify;

import static dev.fleetwarden.notify.NotifyFixtures.DEV;
import static dev.fleetwarden.notify.NotifyFixtures.PROD;
import static dev.fleetwarden.notify.NotifyFixtures.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.fleet.FleetSettings.NotificationRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRouterTest {
  private final AlertRouter router = new AlertRouter(ROUTES, null);

  @Test
  void prodGoesToTheProdChannelWithItsMention() {
    assertThat(router.route(PROD, "team-security"))
        .contains(new Route("#platform-prod-alerts", "@platform-oncall"));
  }

  @Test
  void firstMatchWinsOverLaterRoutes() {
    // dev + team-security matches the owner route before the catch-all
    assertThat(router.route(DEV, "team-security")).contains(new Route("#security-alerts", null));
    assertThat(router.route(DEV, "team-platform")).contains(new Route("#platform-alerts", null));
  }

  @Test
  void everyLabelOfARouteMustMatch() {
    ClusterContext staging =
        new ClusterContext("staging", "staging", Map.of("tier", "critical"), Map.of());
    ClusterContext other =
        new ClusterContext("staging", "staging", Map.of("tier", "low"), Map.of());
    assertThat(router.route(staging, null)).contains(new Route("#critical", null));
    assertThat(router.route(other, null)).contains(new Route("#platform-alerts", null));
  }

  @Test
  void noMatchUsesTheFallbackOrNothing() {
    List<NotificationRoute> prodOnly =
        List.of(new NotificationRoute("prod", null, null, "#prod", null));
    assertThat(new AlertRouter(prodOnly, null).route(DEV, null)).isEmpty();
    assertThat(new AlertRouter(prodOnly, "#fallback").route(DEV, null))
        .contains(new Route("#fallback", null));
  }

  @Test
  void fleetWideMessagesUseTheFirstRouteWithoutConditions() {
    assertThat(router.fleetWide()).contains(new Route("#platform-alerts", null));
    List<NotificationRoute> conditional =
        List.of(new NotificationRoute("prod", null, null, "#prod", null));
    assertThat(new AlertRouter(conditional, null).fleetWide()).isEmpty();
  }

  @Test
  void blankMentionMeansNone() {
    List<NotificationRoute> routes = List.of(new NotificationRoute(null, null, null, "#a", " "));
    assertThat(new AlertRouter(routes, null).route(DEV, null)).contains(new Route("#a", null));
  }
}
