package dev.fleetwarden.notify;

import static dev.fleetwarden.notify.NotifyFixtures.COMMIT;
import static dev.fleetwarden.notify.NotifyFixtures.COMMIT_URL;
import static dev.fleetwarden.notify.NotifyFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.HostileStrings;
import dev.fleetwarden.fleet.FleetSettings.NotificationRoute;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Risk;
import dev.fleetwarden.model.Severity;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A drift a risk rule matched, as on-call reads it in Slack. */
class SlackRiskTest {
  private static final String PATH = "/ingress/from_port=22,to_port=22,protocol=tcp";

  private static ObjectDrift openedSsh(String reason) {
    return new ObjectDrift(
            ResourceId.terraform("prod-eu-1", "aws_security_group.nodes"),
            null,
            DriftSource.TERRAFORM,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift(
                    PATH,
                    NullNode.instance,
                    TextNode.valueOf("{cidr_blocks: [0.0.0.0/0], from_port: 22}"))))
        .withRisk(List.of(new Risk("sg-ingress-open-world", reason, PATH + "/cidr_blocks")));
  }

  private static AlertContent content(List<ObjectDrift> drifts) {
    return new AlertContent(
        "prod-eu-1",
        "prod",
        "fp-1",
        null,
        drifts,
        T0.minus(Duration.ofHours(1)),
        null,
        new AlertLinks(COMMIT, COMMIT_URL, null));
  }

  @Test
  void theHeaderSaysCriticalAndTheObjectShowsTheReasonPathAndRule() {
    SlackMessage m =
        SlackMessages.alert(
            content(List.of(openedSsh("security group ingress open to the internet"))));
    assertThat(m.blocks().at("/0/text/text").asText())
        .isEqualTo(":rotating_light: Drift on prod-eu-1: critical");
    assertThat(m.text()).contains("(critical)").contains("aws_security_group.nodes modified");
    assertThat(m.blocksJson())
        .contains(":rotating_light: *Critical*")
        .contains(
            "• security group ingress open to the internet at `"
                + PATH
                + "/cidr_blocks` (rule `sg-ingress-open-world`)");
  }

  @Test
  void aReasonFromTheFleetRepoCannotMentionLinkOrBreakTheMessage() {
    for (Map.Entry<String, String> hostile : HostileStrings.ALL.entrySet()) {
      SlackMessage m = SlackMessages.alert(content(List.of(openedSsh(hostile.getValue()))));
      String blocks = m.blocksJson();
      String reasons = null;
      for (var block : m.blocks()) {
        String text = block.at("/text/text").asText();
        if (text.startsWith(":rotating_light: *Critical*")) {
          reasons = text;
        }
      }
      assertThat(reasons).as(hostile.getKey()).isNotNull();
      assertThat(reasons).as(hostile.getKey()).doesNotContain("<!").doesNotContain("<http");
      assertThat(HostileStrings.SPECIAL_MENTION.matcher(reasons).find())
          .as(hostile.getKey())
          .isFalse();
      // the title line and one reason line: nothing in the reason starts a line of its own
      assertThat(reasons.lines().count()).as(hostile.getKey()).isEqualTo(2);
      assertThat(reasons.chars().filter(c -> c == '`').count() % 2)
          .as(hostile.getKey() + ": code spans stay closed")
          .isZero();
      assertThat(blocks.length()).as(hostile.getKey()).isLessThan(8_000);
    }
  }

  @Test
  void aHugeReasonIsCappedWithItsSize() {
    SlackMessage m = SlackMessages.alert(content(List.of(openedSsh(HostileStrings.HUGE))));
    assertThat(m.blocksJson())
        .contains(HostileStrings.HUGE_SUFFIX)
        .doesNotContain("A".repeat(SlackMessages.REASON + 1));
  }

  @Test
  void theDigestCountsCriticalFirstAndTheThreadSaysWhenDriftTurnsCritical() {
    ObjectDrift plain = openedSsh("x").withRisk(List.of());
    ObjectDrift critical = openedSsh("security group ingress open to the internet");
    SlackMessage digest =
        SlackMessages.digest(
            LocalDate.of(2026, 11, 23),
            T0,
            List.of(
                Finding.observed(critical, T0, "r"),
                Finding.observed(
                    new ObjectDrift(
                        new ResourceId(
                            "prod-eu-1", "networking.k8s.io", "NetworkPolicy", "a", "deny"),
                        "netpol",
                        DriftSource.KUBERNETES,
                        DriftType.MISSING,
                        null,
                        List.of()),
                    T0,
                    "r")));
    assertThat(digest.blocksJson()).contains("*prod-eu-1*: 1 critical, 1 missing");

    SlackMessage note =
        SlackMessages.changes(
            content(List.of(critical)),
            new IncidentChanges(
                List.of(),
                List.of(
                    new ScanOutcome.Change(
                        Finding.observed(plain, T0, "r"), Finding.observed(critical, T0, "r"))),
                List.of(),
                java.util.Map.of()),
            T0);
    assertThat(note.blocksJson())
        .contains("is now critical: security group ingress open to the internet at `");
  }

  @Test
  void aRouteMayTakeCriticalDriftOnly() {
    AlertRouter router =
        new AlertRouter(
            List.of(
                new NotificationRoute(null, null, null, "#security", "@here", Severity.CRITICAL),
                new NotificationRoute(null, null, null, "#missing", null, Severity.MISSING),
                new NotificationRoute(null, null, null, "#alerts", null)),
            null);
    ClusterContext prod = NotifyFixtures.PROD;
    assertThat(router.route(prod, null, Severity.CRITICAL).orElseThrow().channel())
        .isEqualTo("#security");
    assertThat(router.route(prod, null, Severity.MISSING).orElseThrow().channel())
        .isEqualTo("#missing");
    assertThat(router.route(prod, null, Severity.DRIFTED).orElseThrow().channel())
        .isEqualTo("#alerts");
    assertThat(router.route(prod, null).orElseThrow().channel()).isEqualTo("#alerts");
    // a fleet-wide message (a broken commit) is not drift of any severity
    assertThat(router.fleetWide().orElseThrow().channel()).isEqualTo("#alerts");
  }

  @Test
  void thePlannerRoutesAnAlertByTheSeverityOfItsDrift() {
    AlertPlanner planner =
        new AlertPlanner(
            new AlertRouter(
                List.of(
                    new NotificationRoute(
                        null, null, null, "#security", "@here", Severity.CRITICAL),
                    new NotificationRoute(null, null, null, "#alerts", null)),
                null),
            null);
    ObjectDrift critical = openedSsh("security group ingress open to the internet");
    ObjectDrift plain =
        new ObjectDrift(
            ResourceId.terraform("prod-eu-1", "aws_vpc.main"),
            null,
            DriftSource.TERRAFORM,
            DriftType.MODIFIED,
            null,
            List.of(new FieldDrift("/tags/team", TextNode.valueOf("a"), TextNode.valueOf("b"))));
    AlertPlan plan =
        planner.plan(
            NotifyFixtures.scan(
                NotifyFixtures.PROD,
                T0,
                List.of(
                    NotifyFixtures.finding("fp-critical", critical, T0),
                    NotifyFixtures.finding("fp-plain", plain, T0)),
                null,
                null,
                null),
            Map.of());
    assertThat(plan.messages())
        .extracting(p -> p.message().fingerprint() + " " + p.message().channel())
        .containsExactlyInAnyOrder(
            AlertPlanner.incidentKey("prod-eu-1", "#security") + " #security",
            AlertPlanner.incidentKey("prod-eu-1", "#alerts") + " #alerts");
    assertThat(plan.messages())
        .filteredOn(p -> p.message().channel().equals("#security"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message().blocks())
                    .contains("aws_security_group.nodes")
                    .doesNotContain("aws_vpc.main"));
  }
}
