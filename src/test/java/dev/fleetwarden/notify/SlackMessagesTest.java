package dev.fleetwarden.notify;

import static dev.fleetwarden.notify.NotifyFixtures.COMMIT;
import static dev.fleetwarden.notify.NotifyFixtures.COMMIT_URL;
import static dev.fleetwarden.notify.NotifyFixtures.PR_URL;
import static dev.fleetwarden.notify.NotifyFixtures.SECRET_VALUE;
import static dev.fleetwarden.notify.NotifyFixtures.T0;
import static dev.fleetwarden.notify.NotifyFixtures.base64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.ResourceId;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackMessagesTest {

  private static AlertContent content(List<ObjectDrift> drifts, String pr) {
    return new AlertContent(
        "prod-eu-1",
        "prod",
        "fp-1",
        "@platform-oncall",
        drifts,
        T0.minus(Duration.ofHours(2)),
        null,
        new AlertLinks(COMMIT, COMMIT_URL, pr));
  }

  @Test
  void alertNamesClusterSeverityObjectFieldsManagerFileAndLinks() {
    SlackMessage m =
        SlackMessages.alert(content(List.of(NotifyFixtures.replicas("prod-eu-1", 2, 5)), PR_URL));
    JsonNode blocks = m.blocks();

    assertThat(blocks.at("/0/type").asText()).isEqualTo("header");
    assertThat(blocks.at("/0/text/text").asText()).contains("prod-eu-1").contains("drifted");
    assertThat(blocks.at("/1/text/text").asText())
        .startsWith("@platform-oncall ")
        .contains("*prod-eu-1*")
        .contains("`prod`");
    String object = blocks.at("/2/text/text").asText();
    assertThat(object)
        .contains("`prod-eu-1/Deployment.apps/ingress/ingress-controller`")
        .contains("add-on `ingress`")
        .contains("addons/ingress/chart/templates/deployment.yaml");
    String fields = blocks.at("/3/text/text").asText();
    assertThat(fields)
        .contains("desired → live")
        .contains("`/spec/replicas`: `2` → `5`")
        .contains("changed by `kubectl-edit`")
        .contains("set in `clusters/prod-eu-1/values/ingress.yaml:4`");
    String links = blocks.at("/4/elements/0/text").asText();
    assertThat(links)
        .contains("<" + PR_URL + "|")
        .contains("<" + COMMIT_URL + "|")
        .contains("3f2a9c1");
    assertThat(m.text())
        .startsWith("@platform-oncall Drift on prod-eu-1 (drifted)")
        .contains("prod-eu-1/Deployment.apps/ingress/ingress-controller")
        .contains(PR_URL);
  }

  @Test
  void withoutPullRequestOnlyTheCommitIsLinked() {
    SlackMessage m =
        SlackMessages.alert(content(List.of(NotifyFixtures.replicas("p", 1, 2)), null));
    assertThat(m.blocksJson()).doesNotContain("Pull request").contains(COMMIT_URL);
  }

  @Test
  void missingObjectsSayTheyAreMissingAndRankTheHeader() {
    SlackMessage m =
        SlackMessages.alert(
            content(
                List.of(
                    NotifyFixtures.replicas("prod-eu-1", 2, 5),
                    NotifyFixtures.missingPolicy("prod-eu-1")),
                null));
    assertThat(m.blocks().at("/0/text/text").asText()).contains("missing");
    assertThat(m.blocksJson()).contains("missing from the cluster");
  }

  @Test
  void longFieldListsAreCutWithACountOfTheRest() {
    List<FieldDrift> fields = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      fields.add(
          new FieldDrift(
              "/data/key-" + i,
              TextNode.valueOf("desired-value-" + i),
              TextNode.valueOf("live-" + i)));
    }
    ObjectDrift big =
        new ObjectDrift(
            new ResourceId("prod-eu-1", "", "ConfigMap", "ingress", "big"),
            "ingress",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            "addons/ingress/manifests/big.yaml",
            fields);
    SlackMessage m = SlackMessages.alert(content(List.of(big), null));
    String text = m.blocks().at("/3/text/text").asText();
    assertThat(text.length()).isLessThanOrEqualTo(SlackMessages.MAX_TEXT);
    assertThat(text).containsPattern("… and \\d+ more fields$");
    int shown = (int) text.lines().filter(l -> l.startsWith("• ")).count();
    int more = Integer.parseInt(text.replaceAll("(?s).*… and (\\d+) more fields$", "$1"));
    assertThat(shown + more).isEqualTo(200);
  }

  @Test
  void manyObjectsStayWithinFiftyBlocks() {
    List<ObjectDrift> drifts = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      drifts.add(
          new ObjectDrift(
              new ResourceId("prod-eu-1", "", "ConfigMap", "ns", "cm-" + i),
              "ingress",
              DriftSource.KUBERNETES,
              DriftType.MODIFIED,
              null,
              List.of(new FieldDrift("/data/a", TextNode.valueOf("x"), TextNode.valueOf("y")))));
    }
    SlackMessage m = SlackMessages.alert(content(drifts, PR_URL));
    assertThat(m.blocks().size()).isLessThanOrEqualTo(SlackMessages.MAX_BLOCKS);
    assertThat(m.blocksJson()).containsPattern("… and \\d+ more objects");
    for (JsonNode block : m.blocks()) {
      assertThat(block.path("text").path("text").asText().length())
          .isLessThanOrEqualTo(SlackMessages.MAX_TEXT);
    }
    assertThat(m.text().length()).isLessThanOrEqualTo(SlackMessages.MAX_TEXT);
  }

  @Test
  void resolvedAlertHasAResolvedHeaderAndNoMention() {
    AlertContent c =
        content(List.of(NotifyFixtures.replicas("prod-eu-1", 2, 5)), null).resolvedAt(T0);
    SlackMessage m = SlackMessages.alert(c);
    assertThat(m.blocks().at("/0/text/text").asText()).startsWith(":white_check_mark: Resolved");
    assertThat(m.blocks().at("/1/text/text").asText()).contains("Resolved").contains("after 2h 0m");
    assertThat(m.blocksJson()).doesNotContain("@platform-oncall");
    assertThat(m.text()).startsWith("Resolved: drift on prod-eu-1");
    SlackMessage note = SlackMessages.resolvedNote(c, null);
    assertThat(note.text()).contains("2026-11-23 07:00 UTC");
    assertThat(note.blocksJson()).contains("open for 2h 0m");
  }

  @Test
  void secretValuesAreShownOnlyAsHashes() {
    SlackMessage m =
        SlackMessages.alert(content(List.of(NotifyFixtures.secretDrift("prod-eu-1")), null));
    String all = m.text() + m.blocksJson();
    assertThat(all).doesNotContain(SECRET_VALUE).doesNotContain(base64(SECRET_VALUE));
    assertThat(all).contains(NotifyFixtures.masked(SECRET_VALUE)).contains("hidden (Secret)");
  }

  @Test
  void changesListWhatJoinedChangedAndLeft() {
    ObjectDrift before = NotifyFixtures.replicas("prod-eu-1", 2, 5);
    ObjectDrift after = NotifyFixtures.replicas("prod-eu-1", 2, 7);
    ObjectDrift policy = NotifyFixtures.missingPolicy("prod-eu-1");
    ObjectDrift gone = NotifyFixtures.configValue("prod-eu-1", "settings", "debug");
    IncidentChanges changes =
        new IncidentChanges(
            List.of(NotifyFixtures.finding("p", policy, T0)),
            List.of(NotifyFixtures.changed("d", before, after, T0)),
            List.of(NotifyFixtures.resolved("g", gone, T0, T0)),
            Map.of());
    SlackMessage note = SlackMessages.changes(content(List.of(after, policy), null), changes, T0);
    String text = note.blocks().at("/0/text/text").asText();
    assertThat(text)
        .startsWith(":pencil2: *What changed* (seen ")
        .contains("; 2 objects open)")
        .contains(
            "*New*\n• `prod-eu-1/NetworkPolicy.networking.k8s.io/team-a/default-deny` missing")
        .contains(
            "*Changed*\n• `prod-eu-1/Deployment.apps/ingress/ingress-controller` `/spec/replicas`:"
                + " live `5` → `7` by `kubectl-edit`")
        .contains("*Back in sync*\n• `prod-eu-1/ConfigMap/ingress/settings` is back in sync")
        .doesNotContain("@platform-oncall");
    assertThat(note.text())
        .isEqualTo("Drift on prod-eu-1: 1 new, 1 changed, 1 back in sync; 2 objects open");

    ObjectDrift image = NotifyFixtures.image("prod-eu-1", "nginx:1", "nginx:2");
    String json =
        SlackMessages.changes(
                content(List.of(image), null),
                new IncidentChanges(
                    List.of(),
                    List.of(NotifyFixtures.changed("d", before, image, T0)),
                    List.of(),
                    Map.of()),
                T0)
            .blocksJson();
    assertThat(json).contains("`/spec/replicas` is back in sync").contains("now differs");
  }

  @Test
  void anIncidentShowsAtMostTenObjectsEachWithItsPullRequest() {
    List<ObjectDrift> drifts = new ArrayList<>();
    Map<ResourceId, String> prs = new java.util.HashMap<>();
    for (int i = 0; i < 12; i++) {
      ObjectDrift d = NotifyFixtures.configValue("prod-eu-1", "cm-" + i, "v");
      drifts.add(d);
      prs.put(d.resource(), PR_URL + i);
    }
    AlertContent c =
        new AlertContent(
            "prod-eu-1",
            "prod",
            "incident-1",
            "@platform-oncall",
            drifts,
            prs,
            T0,
            null,
            new AlertLinks(COMMIT, COMMIT_URL, null));
    SlackMessage m = SlackMessages.alert(c);
    String json = m.blocksJson();
    assertThat(json).contains("12 objects differ").contains("… and 2 more objects");
    assertThat(json).contains("cm-9").doesNotContain("cm-10`").doesNotContain("cm-11`");
    assertThat(json).contains("<" + PR_URL + "0|").contains("<" + PR_URL + "9|");
    assertThat(m.text()).contains("12 pull requests").doesNotContain(PR_URL);
  }

  @Test
  void mrkdwnIsEscaped() {
    ObjectDrift d =
        new ObjectDrift(
            new ResourceId("c", "", "ConfigMap", "ns", "cm"),
            null,
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift(
                    "/data/x", TextNode.valueOf("<!channel> & `x`"), TextNode.valueOf("y"))));
    String json = SlackMessages.alert(content(List.of(d), null)).blocksJson();
    assertThat(json).contains("&lt;!channel&gt; &amp; \u02cbx\u02cb").doesNotContain("<!channel>");
  }

  @Test
  void brokenCommitNamesFileLineAndMessage() {
    SlackMessage m =
        SlackMessages.brokenCommit(
            COMMIT,
            COMMIT_URL,
            List.of(
                new RenderError(
                    "prod-eu-1",
                    "ingress",
                    "clusters/prod-eu-1/values/ingress.yaml",
                    7,
                    "mapping values are not allowed here")),
            null);
    assertThat(m.blocks().at("/0/text/text").asText())
        .contains("3f2a9c1")
        .contains("does not render");
    assertThat(m.blocksJson())
        .contains("`clusters/prod-eu-1/values/ingress.yaml:7`")
        .contains("mapping values are not allowed here")
        .contains(COMMIT_URL);
    assertThat(m.text()).contains("clusters/prod-eu-1/values/ingress.yaml:7");
  }

  @Test
  void digestCountsPerClusterAndSeverityAndListsTheOldest() {
    List<Finding> items =
        List.of(
            NotifyFixtures.finding(
                "a", NotifyFixtures.replicas("prod-eu-1", 1, 2), T0.minus(Duration.ofDays(3))),
            NotifyFixtures.finding(
                "b", NotifyFixtures.missingPolicy("prod-eu-1"), T0.minus(Duration.ofHours(1))),
            NotifyFixtures.finding(
                "c", NotifyFixtures.missingPolicy("dev"), T0.minus(Duration.ofHours(5))));
    SlackMessage m = SlackMessages.digest(LocalDate.of(2026, 11, 23), T0, items);
    String json = m.blocksJson();
    assertThat(json).contains("3 open drifts on 2 clusters");
    assertThat(json).contains("*prod-eu-1*: 1 missing, 1 drifted").contains("*dev*: 1 missing");
    String oldest = m.blocks().at("/3/text/text").asText();
    assertThat(oldest.indexOf("prod-eu-1/Deployment"))
        .isLessThan(oldest.indexOf("dev/NetworkPolicy"));
    assertThat(oldest).contains("open for 3d 0h");
  }

  @Test
  void datesRenderInTheReadersZoneWithAUtcFallback() {
    assertThat(SlackMessages.date(T0))
        .isEqualTo(
            "<!date^" + T0.getEpochSecond() + "^{date_short_pretty} {time}|2026-11-23 07:00 UTC>");
    assertThat(SlackMessages.duration(T0, T0.plusSeconds(30))).isEqualTo("under a minute");
    assertThat(SlackMessages.duration(T0, T0.plus(Duration.ofMinutes(125)))).isEqualTo("2h 5m");
  }

  @Test
  void payloadHashFollowsContent() {
    SlackMessage a =
        SlackMessages.alert(content(List.of(NotifyFixtures.replicas("p", 1, 2)), null));
    SlackMessage b =
        SlackMessages.alert(content(List.of(NotifyFixtures.replicas("p", 1, 2)), null));
    SlackMessage c =
        SlackMessages.alert(content(List.of(NotifyFixtures.replicas("p", 1, 3)), null));
    assertThat(a.payloadHash()).isEqualTo(b.payloadHash()).isNotEqualTo(c.payloadHash());
  }
}
