package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diff --live-from DIR} on dumps shaped like {@code kubectl get -o yaml} output: a {@code
 * kind: List} with server-added fields, real changes, and a changed Secret whose value must not
 * leak into any output format.
 */
class DiffLiveFromIT {
  private static final String LEAKED = "https://hooks.slack.example/T999/B999/changed-by-hand";

  @TempDir Path tmp;
  Path dump;

  @BeforeEach
  void dumpProdEu1() throws Exception {
    dump = LiveDumps.of(tmp, "prod-eu-1", DiffLiveFromIT::changedLive);
  }

  /** The object as the cluster holds it: server noise, real changes, one deletion (null). */
  private static ObjectNode changedLive(ObjectNode o) {
    serverNoise(o);
    String id = o.path("kind").asText() + "/" + o.at("/metadata/name").asText();
    switch (id) {
      case "Deployment/ingress-controller" -> {
        ObjectNode c = (ObjectNode) o.at("/spec/template/spec/containers/0");
        c.put("image", "registry.k8s.io/ingress-nginx/controller:v1.11.3-hotfix");
        // cosmetic: quantities rewritten by the API server
        ((ObjectNode) c.at("/resources/requests")).put("cpu", "1000m");
        ((ObjectNode) c.at("/resources/limits")).put("memory", "2048Mi");
      }
      case "Secret/alertmanager-credentials" ->
          ((ObjectNode) o.get("data"))
              .put(
                  "slack-webhook-url",
                  Base64.getEncoder().encodeToString(LEAKED.getBytes(StandardCharsets.UTF_8)));
      case "NetworkPolicy/default-deny" -> {
        if (o.at("/metadata/namespace").asText().equals("team-search")) {
          return null; // deleted live
        }
      }
      default -> {}
    }
    return o;
  }

  private static void serverNoise(ObjectNode o) {
    ObjectNode meta = (ObjectNode) o.get("metadata");
    meta.put("uid", "4f0c9a5e-1111-2222-3333-444455556666");
    meta.put("resourceVersion", "123456");
    meta.put("creationTimestamp", "2026-11-01T10:00:00Z");
    (meta.has("annotations") ? (ObjectNode) meta.get("annotations") : meta.putObject("annotations"))
        .put("kubectl.kubernetes.io/last-applied-configuration", "{\"secret\":\"x\"}");
    if (o.path("kind").asText().equals("Deployment")) {
      ((ObjectNode) o.get("spec"))
          .put("revisionHistoryLimit", 10)
          .put("progressDeadlineSeconds", 600);
      o.putObject("status").put("replicas", 4).put("readyReplicas", 4);
    }
  }

  @Test
  void findsRealChangesIgnoresCosmeticOnesAndNeverPrintsTheSecret() throws Exception {
    CliIT.Run json =
        CliIT.run(
            "diff",
            "--repo",
            "fleet-repo-example",
            "-q",
            "-c",
            "prod-eu-1",
            "-c",
            "dev-1",
            "--live-from",
            dump.toString(),
            "-o",
            "json",
            "--state-dir",
            tmp.resolve("state").toString());
    assertThat(json.code()).as(json.err()).isEqualTo(2);
    JsonNode report = json.json();
    JsonNode dev = report.at("/clusters/0");
    assertThat(dev.path("name").asText()).isEqualTo("dev-1");
    assertThat(dev.path("status").asText()).isEqualTo("unknown");
    assertThat(dev.path("reason").asText()).contains("no dump for this cluster");
    assertThat(dev.path("drifts")).isEmpty();
    JsonNode prod = report.at("/clusters/1");
    assertThat(prod.path("status").asText()).isEqualTo("drifted");
    ObjectMapper m = new ObjectMapper();
    assertThat(prod.path("drifts").findValuesAsText("resource"))
        .containsExactly(
            "prod-eu-1/Deployment.apps/ingress-system/ingress-controller",
            "prod-eu-1/NetworkPolicy.networking.k8s.io/team-search/default-deny",
            "prod-eu-1/Secret/monitoring/alertmanager-credentials");
    JsonNode image = prod.at("/drifts/0/fields");
    assertThat(image).hasSize(1);
    assertThat(image.at("/0/path").asText())
        .isEqualTo("/spec/template/spec/containers/name=controller/image");
    assertThat(image.at("/0/live").asText()).endsWith(":v1.11.3-hotfix");
    assertThat(prod.at("/drifts/1/type").asText()).isEqualTo("missing");
    // a deleted NetworkPolicy is critical in diff -o json, with the rule and its reason
    assertThat(prod.at("/drifts/1/severity").asText()).isEqualTo("critical");
    assertThat(prod.at("/drifts/1/risk/0/rule").asText()).isEqualTo("netpol-removed");
    assertThat(prod.at("/drifts/1/risk/0/reason").asText()).isEqualTo("NetworkPolicy deleted");
    assertThat(prod.at("/drifts/0/severity").asText()).isEqualTo("drifted");
    assertThat(prod.path("severity").asText()).isEqualTo("critical");
    assertThat(prod.at("/drifts/2/fields/0/path").asText()).isEqualTo("/data/slack-webhook-url");
    assertThat(prod.at("/drifts/2/fields/0/live").asText()).startsWith("hmac:");

    String base64 = Base64.getEncoder().encodeToString(LEAKED.getBytes(StandardCharsets.UTF_8));
    for (String format : new String[] {"text", "json", "markdown"}) {
      CliIT.Run r = LiveDumps.diff(tmp, dump, format);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.out() + r.err())
          .as(format)
          .doesNotContain(LEAKED)
          .doesNotContain(base64)
          .doesNotContain("fake-demo-webhook");
    }
  }

  @Test
  void inSyncDumpExitsZero() throws Exception {
    Path rendered = tmp.resolve("again");
    CliIT.run(
        "render", "--repo", "fleet-repo-example", "-q", "--out", rendered.toString(), "-c", "mgmt");
    CliIT.Run r =
        CliIT.run(
            "diff",
            "--repo",
            "fleet-repo-example",
            "-q",
            "-c",
            "mgmt",
            "--live-from",
            rendered.toString(),
            "--state-dir",
            tmp.resolve("state").toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("mgmt  in-sync").contains("Summary: 1 clusters: 1 in-sync");
  }
}
