package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.HostileStrings;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Ownership;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.report.ReportJson;
import dev.fleetwarden.server.FleetServer;
import dev.fleetwarden.server.ServerSettings;
import dev.fleetwarden.server.StatusSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile live content, read by the real {@code diff --live-from} from a {@code kubectl get -o
 * yaml} dump, through every report format of the CLI; and a hostile report through the real status
 * API: values, keys, field managers and orphan names are escaped for each sink and capped.
 */
class HostileSinksIT {
  private static final String ORPHAN = "evil\u001b]0;pwned\u0007\nFORGED line @here <img src=x>";

  @TempDir Path tmp;
  Path dump;

  /** prod-eu-1 as rendered, with the ingress ConfigMap's values changed by a hostile hand. */
  @BeforeEach
  void hostileDump() throws Exception {
    ObjectNode orphan = LiveDumps.YAML.createObjectNode();
    orphan.put("apiVersion", "v1");
    orphan.put("kind", "ConfigMap");
    ObjectNode meta = orphan.putObject("metadata");
    meta.put("name", ORPHAN);
    meta.put("namespace", "ingress-system");
    meta.putObject("labels").put(Ownership.LABEL, "ingress");
    dump = LiveDumps.of(tmp, "prod-eu-1", HostileSinksIT::hostile, orphan);
  }

  private static ObjectNode hostile(ObjectNode o) {
    if (o.at("/metadata/name").asText().equals("ingress-controller-config")) {
      ObjectNode data = (ObjectNode) o.get("data");
      data.put("log-level", HostileStrings.MIXED + HostileStrings.NEWLINES);
      data.put("proxy-body-size", HostileStrings.HUGE);
      data.put("use-forwarded-headers", HostileStrings.ESC + HostileStrings.HTML);
      ObjectNode entry = ((ObjectNode) o.get("metadata")).putArray("managedFields").addObject();
      entry.put("manager", HostileStrings.LOG_FORGERY + " @here <!channel>");
      entry.put("operation", "Update");
      entry.put("apiVersion", "v1");
      entry.put("time", "2026-11-23T08:00:00Z");
      entry.put("fieldsType", "FieldsV1");
      entry.putObject("fieldsV1").putObject("f:data").putObject("f:log-level");
    }
    return o;
  }

  private CliIT.Run diff(String format) {
    CliIT.Run r = LiveDumps.diff(tmp, dump, format);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.out().length()).as(format + " output is capped").isLessThan(40_000);
    assertThat(r.out()).as(format).contains(HostileStrings.HUGE_SUFFIX);
    return r;
  }

  @Test
  void textOutputKeepsOneLinePerItemAndSendsNoEscapeSequence() {
    String out = diff("text").out();
    assertThat(HostileStrings.hasControl(out.replace("\n", ""))).as(out).isFalse();
    assertNoInjectedLine(out);
    assertThat(out)
        .contains("\u241b]0;pwned\u2407\u240aFORGED line")
        .contains("line one\u240aline two");
  }

  @Test
  void markdownOutputCannotAddHtmlLinksImagesOrMentions() {
    String out = diff("markdown").out();
    assertThat(HostileStrings.hasControl(out.replace("\n", ""))).isFalse();
    assertNoInjectedLine(out);
    // Inside a code span GitHub shows < ( [ ! @ as themselves; outside none may start markup.
    String outsideCode = out.replaceAll("`[^`\n]*`", "");
    assertThat(outsideCode).doesNotContain("<").doesNotContain("](").doesNotContain("![");
    assertThat(out).contains("\u241b]0;pwned\u2407\u240aFORGED line @here <img src=x>`");
    for (int i = outsideCode.indexOf('@'); i >= 0; i = outsideCode.indexOf('@', i + 1)) {
      assertThat(outsideCode.charAt(i + 1)).as("mention broken").isEqualTo('\u200b');
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("| `/data/")) {
        assertThat(line.replaceAll("\\\\.", "").chars().filter(c -> c == '|').count())
            .as("five cells: " + line)
            .isEqualTo(6);
        assertThat(line.replaceAll("\\\\.", "").chars().filter(c -> c == '`').count() % 2).isZero();
      }
    }
  }

  @Test
  void jsonOutputIsCapped() throws Exception {
    JsonNode report = ReportJson.MAPPER.readTree(diff("json").out());
    List<String> lives = report.findValuesAsText("live");
    assertThat(lives).allSatisfy(v -> assertThat(v.length()).isLessThan(230));
    assertThat(lives).anySatisfy(v -> assertThat(v).endsWith(HostileStrings.HUGE_SUFFIX));
    assertThat(report.findValuesAsText("resource")).anySatisfy(v -> assertThat(v).endsWith(ORPHAN));
  }

  @Test
  void statusApiServesTheReportCapped() throws Exception {
    ObjectDrift drift =
        new ObjectDrift(
            new ResourceId("prod-eu-1", "", "ConfigMap", "ingress-system", "cm"),
            "ingress",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift(
                        "/data/" + HostileStrings.HUGE,
                        TextNode.valueOf("1m"),
                        TextNode.valueOf(HostileStrings.HUGE))
                    .withManager(HostileStrings.HUGE, Instant.parse("2026-11-23T08:00:00Z"))));
    FleetReport report =
        new FleetReport(
            List.of(ClusterReport.combine("prod-eu-1", PartStatus.of(true), null, List.of(drift))));
    StatusSnapshot snapshot =
        new StatusSnapshot(
            report,
            "abc123",
            Instant.now(),
            Map.of("prod-eu-1", new StatusSnapshot.ClusterScan(Instant.now(), "abc123")));
    try (FleetServer server =
        new FleetServer(
                new ServerSettings("127.0.0.1", 0, null, 0),
                () -> snapshot,
                () -> true,
                (ref, after) -> {},
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .start()) {
      HttpClient client = HttpClient.newHttpClient();
      for (String path : List.of("/api/v1/fleet", "/api/v1/clusters/prod-eu-1")) {
        HttpResponse<String> res =
            client.send(
                HttpRequest.newBuilder(URI.create(server.uri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body().length()).as(path).isLessThan(5_000);
        JsonNode field = ReportJson.MAPPER.readTree(res.body()).findValue("fields").get(0);
        assertThat(field.path("live").asText()).endsWith(HostileStrings.HUGE_SUFFIX);
        assertThat(field.path("manager").asText()).endsWith(HostileStrings.HUGE_SUFFIX);
      }
    }
  }

  /** No value may start a line of the output. */
  private static void assertNoInjectedLine(String out) {
    for (String line : out.split("\n")) {
      assertThat(line.stripLeading())
          .doesNotStartWith("FORGED")
          .doesNotStartWith("line two")
          .doesNotStartWith("# heading")
          .doesNotStartWith("- item")
          .doesNotStartWith("@here")
          .doesNotStartWith("2026-01-01T00:00:00.000Z");
    }
  }
}
