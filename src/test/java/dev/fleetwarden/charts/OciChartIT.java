package dev.fleetwarden.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.ChartRef;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.reconcile.FetchAndRender;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.render.RenderListener;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI charts against a registry started here ({@link TinyOciRegistry}, plain HTTP on 127.0.0.1):
 * the chart is pushed by Helm itself (helm-java's {@code push}), pulled back by Helm ({@code
 * template oci://…}) to show the registry is one Helm works with, then fetched by fleetwarden's own
 * registry client, checked against the layer digest and rendered.
 */
class OciChartIT {
  @TempDir Path tmp;
  TinyOciRegistry registry;
  byte[] archive;

  @BeforeEach
  void pushWithHelm() throws Exception {
    registry = new TinyOciRegistry();
    archive = TarGz.chart("app", ChartFleet.chartFiles("app", "1.0.0", "from-oci"));
    Path tgz = Files.write(tmp.resolve("app-1.0.0.tgz"), archive);
    String pushed =
        Helm.push()
            .withChart(tgz)
            .withRemote(URI.create(registry.oci("charts")))
            .plainHttp()
            .call();
    assertThat(pushed).contains("Pushed: 127.0.0.1:" + registry.port() + "/charts/app:1.0.0");
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private FetchAndRender rendering(RepositoryCredentials credentials, String cache) {
    ChartAllowList allowed = ChartAllowList.parse(registry.oci("charts"));
    return new FetchAndRender(
        new ChartFetcher(
            allowed,
            new ChartSources(allowed, credentials, Map.of(), Duration.ofSeconds(10)),
            new ChartCache(tmp.resolve(cache))),
        new FleetRenderer());
  }

  private Fleet fleet() throws Exception {
    return FleetLoader.load(
        ChartFleet.write(
            tmp.resolve("fleet"),
            "{oci: %s, version: 1.0.0}".formatted(registry.oci("charts/app"))),
        ChartAllowList.parse(registry.oci("charts")));
  }

  @Test
  void aChartHelmPushedIsFetchedByItsLayerDigestAndRendered() throws Exception {
    String helmView =
        Helm.template(registry.oci("charts/app"))
            .withVersion("1.0.0")
            .withName("app")
            .plainHttp()
            .call();
    assertThat(helmView).as("Helm pulls it back").contains("marker: from-oci");

    FetchAndRender rendering = rendering(RepositoryCredentials.NONE, "cache");
    ChartFetcher.Fetched fetched =
        rendering.charts().fetch(ChartRef.oci(registry.oci("charts/app"), "1.0.0"), null);
    assertThat(fetched.digest()).isEqualTo(TarGz.sha256(archive));
    ClusterRender render =
        rendering.renderAll(fleet(), RenderListener.NONE).renders().get("prod-1");
    assertThat(render.failed()).as("%s", render.error()).isFalse();
    assertThat(render.objects().get(0).manifest().at("/data/marker").asText())
        .isEqualTo("from-oci");
  }

  @Test
  void aPrivateRegistryAnswersItsTokenChallengeWithTheOperatorsCredentials() throws Exception {
    registry.requireToken("robot", "pw-for-robot");
    RenderError anonymous =
        rendering(RepositoryCredentials.NONE, "anonymous")
            .renderAll(fleet(), RenderListener.NONE)
            .unavailable()
            .get("prod-1");
    assertThat(anonymous.message()).contains("registry refused").contains("helm.credentialsFile");

    Path file =
        Files.writeString(
            tmp.resolve("credentials.yaml"),
            "- url: %s\n  username: robot\n  passwordEnv: ROBOT_PW\n"
                .formatted(registry.oci("charts")));
    RepositoryCredentials credentials =
        RepositoryCredentials.read(file, Map.of("ROBOT_PW", "pw-for-robot"));
    ClusterRender render =
        rendering(credentials, "authenticated")
            .renderAll(fleet(), RenderListener.NONE)
            .renders()
            .get("prod-1");
    assertThat(render.failed()).as("%s", render.error()).isFalse();
    assertThat(registry.requests())
        .contains("GET /token [Basic]")
        .anyMatch(r -> r.startsWith("GET /v2/charts/app/manifests/1.0.0 [Bearer]"))
        .anyMatch(r -> r.startsWith("GET /v2/charts/app/blobs/sha256:") && r.endsWith("[Bearer]"));
  }
}
