package dev.fleetwarden.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.reconcile.FetchAndRender;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.render.RenderListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote charts from a real Helm chart repository served on 127.0.0.1 (the JDK's HTTP server,
 * static files), fetched through the real HTTP client and rendered by Helm in its own process.
 */
class ChartFetchIT {
  @TempDir Path tmp;
  ChartRepositoryServer repo;
  ChartRepositoryServer other;

  @BeforeEach
  void start() {
    repo = ChartRepositoryServer.start("charts");
    other = ChartRepositoryServer.start("elsewhere");
  }

  @AfterEach
  void stop() {
    repo.close();
    other.close();
  }

  private Fleet fleet(String name, String chart, String version) throws Exception {
    return FleetLoader.load(
        ChartFleet.write(
            tmp.resolve(name),
            "{repository: %s, chart: %s, version: %s}".formatted(repo.url(), chart, version)));
  }

  private FetchAndRender rendering(ChartAllowList allowed, RepositoryCredentials credentials) {
    return new FetchAndRender(
        new ChartFetcher(
            allowed,
            new ChartSources(allowed, credentials, Map.of(), Duration.ofSeconds(5)),
            new ChartCache(tmp.resolve("cache"))),
        new FleetRenderer());
  }

  private FetchAndRender rendering() {
    return rendering(ChartAllowList.parse(repo.url()), RepositoryCredentials.NONE);
  }

  private static String configMap(ClusterRender render, String name) {
    assertThat(render.failed()).as("%s", render.error()).isFalse();
    DesiredObject cm =
        render.objects().stream()
            .filter(o -> o.id().kind().equals("ConfigMap") && o.id().name().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not rendered: " + name));
    return cm.manifest().path("data").toString();
  }

  @Test
  void aRemoteChartIsFetchedVerifiedAndRenderedFromTheCache() throws Exception {
    repo.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    Fleet fleet = fleet("f", "app", "1.0.0");
    FetchAndRender.Result result = rendering().renderAll(fleet, RenderListener.NONE);
    assertThat(result.unavailable()).isEmpty();
    ClusterRender render = result.renders().get("prod-1");
    assertThat(configMap(render, "app")).contains("\"marker\":\"one\"").contains("hello");
    DesiredObject cm = render.objects().get(0);
    assertThat(cm.provenance().sourceFile()).isEqualTo("app-1.0.0.tgz/templates/configmap.yaml");
    assertThat(cm.id().namespace()).isEqualTo("apps");
    assertThat(repo.requests())
        .containsExactly("GET /charts/index.yaml", "GET /charts/app-1.0.0.tgz");
  }

  @Test
  void theSecondRenderAfterARestartSendsNoRequest() throws Exception {
    repo.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    Fleet fleet = fleet("f", "app", "1.0.0");
    FetchAndRender first = rendering();
    first.renderAll(fleet, RenderListener.NONE);
    first.renderAll(fleet, RenderListener.NONE);
    assertThat(repo.requests()).as("same process").hasSize(2);
    // a new fetcher and renderer over the same cache directory: fleetwarden restarted
    ClusterRender again = rendering().renderAll(fleet, RenderListener.NONE).renders().get("prod-1");
    assertThat(configMap(again, "app")).contains("one");
    assertThat(repo.requests()).as("after a restart").hasSize(2);
  }

  @Test
  void anArchiveWhoseDigestDiffersFromTheIndexIsRefused() throws Exception {
    byte[] archive = TarGz.chart("app", ChartFleet.chartFiles("app", "1.0.0", "tampered"));
    String claimed = TarGz.sha256(TarGz.chart("app", ChartFleet.chartFiles("app", "1.0.0", "x")));
    repo.publish("app", "1.0.0", archive, claimed);
    FetchAndRender.Result result =
        rendering().renderAll(fleet("f", "app", "1.0.0"), RenderListener.NONE);
    RenderError why = result.unavailable().get("prod-1");
    assertThat(why.addon()).isEqualTo("app");
    assertThat(why.file()).isEqualTo("addons/app/addon.yaml");
    assertThat(why.message())
        .contains("has sha256 " + TarGz.sha256(archive).substring(7))
        .contains("index gives " + claimed.substring(7))
        .contains("refused");
    assertThat(result.renders()).doesNotContainKey("prod-1");
    try (var entries = Files.list(tmp.resolve("cache/entries"))) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void aVersionTheRepositoryDoesNotListIsNamed() throws Exception {
    repo.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    RenderError why =
        rendering()
            .renderAll(fleet("f", "app", "9.9.9"), RenderListener.NONE)
            .unavailable()
            .get("prod-1");
    assertThat(why.message()).contains("has no version 9.9.9 of 'app' (it lists 1.0.0");
  }

  @Test
  void aRedirectOutsideTheAllowListIsRefusedAndNeverFollowed() throws Exception {
    repo.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    other.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    repo.redirect("app-1.0.0.tgz", other.url() + "/app-1.0.0.tgz");
    RenderError why =
        rendering()
            .renderAll(fleet("f", "app", "1.0.0"), RenderListener.NONE)
            .unavailable()
            .get("prod-1");
    assertThat(why.message())
        .contains("redirected to " + other.url() + "/app-1.0.0.tgz")
        .contains("helm.allowedRepositories does not allow");
    assertThat(other.requests()).as("the target was never asked").isEmpty();

    // the same redirect to an allowed location is followed
    FetchAndRender allowing =
        rendering(ChartAllowList.parse(repo.url() + "," + other.url()), RepositoryCredentials.NONE);
    ClusterRender render =
        allowing.renderAll(fleet("g", "app", "1.0.0"), RenderListener.NONE).renders().get("prod-1");
    assertThat(configMap(render, "app")).contains("one");
    assertThat(other.requests()).containsExactly("GET /elsewhere/app-1.0.0.tgz");
  }

  @Test
  void aPrivateRepositoryIsReadWithTheCredentialsOfTheOperatorsFile() throws Exception {
    repo.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "private"));
    repo.requireBasicAuth("fleetwarden", "s3cr3t-pa55");
    Fleet fleet = fleet("f", "app", "1.0.0");

    RenderError anonymous =
        rendering().renderAll(fleet, RenderListener.NONE).unavailable().get("prod-1");
    assertThat(anonymous.message())
        .contains("answered 401")
        .contains("add the repository to helm.credentialsFile");

    Path password = Files.writeString(tmp.resolve("password"), "s3cr3t-pa55\n");
    Path file =
        Files.writeString(
            tmp.resolve("credentials.yaml"),
            """
            - url: %s
              username: fleetwarden
              passwordFile: %s
            """
                .formatted(repo.url(), password));
    RepositoryCredentials credentials = RepositoryCredentials.read(file, Map.of());
    assertThat(credentials.toString()).doesNotContain("s3cr3t");
    ClusterRender render =
        rendering(ChartAllowList.parse(repo.url()), credentials)
            .renderAll(fleet, RenderListener.NONE)
            .renders()
            .get("prod-1");
    assertThat(configMap(render, "app")).contains("private");

    Path wrongFile = Files.writeString(tmp.resolve("wrong"), "guess\n");
    Files.writeString(
        file,
        "- url: %s\n  username: fleetwarden\n  passwordFile: %s\n"
            .formatted(repo.url(), wrongFile));
    Files.walk(tmp.resolve("cache"))
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    RenderError refused =
        rendering(ChartAllowList.parse(repo.url()), RepositoryCredentials.read(file, Map.of()))
            .renderAll(fleet, RenderListener.NONE)
            .unavailable()
            .get("prod-1");
    assertThat(refused.message()).contains("refused the credentials").doesNotContain("guess");
  }

  @Test
  void credentialsNeverFollowARedirectOffTheirPrefix() throws Exception {
    repo.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    other.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    repo.redirect("app-1.0.0.tgz", other.url() + "/app-1.0.0.tgz");
    RepositoryCredentials credentials =
        RepositoryCredentials.of(
            List.of(new RepositoryCredentials.Credential(repo.url(), null, null, "t0ken")));
    ClusterRender render =
        rendering(ChartAllowList.parse(repo.url() + "," + other.url()), credentials)
            .renderAll(fleet("f", "app", "1.0.0"), RenderListener.NONE)
            .renders()
            .get("prod-1");
    assertThat(configMap(render, "app")).contains("one");
    assertThat(repo.authorizations()).containsOnly("Bearer t0ken");
    assertThat(other.authorizations()).containsOnlyNulls();
  }

  @Test
  void chartDependenciesComeFromTheAllowedRepositoriesIntoChartsFolder() throws Exception {
    repo.publish(
        "lib",
        "2.0.0",
        Map.of(
            "Chart.yaml",
            "apiVersion: v2\nname: lib\nversion: 2.0.0\ntype: library\n",
            "templates/_helpers.tpl",
            "{{- define \"lib.stamp\" -}}stamped-by-lib{{- end -}}\n"));
    repo.publish(
        "app",
        "1.0.0",
        Map.of(
            "Chart.yaml",
            "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
                + "  - name: lib\n    version: \">=2.0.0\"\n    repository: "
                + repo.url()
                + "\n",
            "Chart.lock",
            "dependencies:\n  - name: lib\n    repository: "
                + repo.url()
                + "\n    version: 2.0.0\n",
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n"
                + "data: {stamp: {{ include \"lib.stamp\" . | quote }}}\n"));
    FetchAndRender rendering = rendering();
    ClusterRender render =
        rendering
            .renderAll(fleet("f", "app", "1.0.0"), RenderListener.NONE)
            .renders()
            .get("prod-1");
    assertThat(configMap(render, "app")).contains("stamped-by-lib");
    ChartFetcher.Fetched fetched =
        rendering
            .charts()
            .fetch(new dev.fleetwarden.fleet.ChartRef(repo.url(), "app", "1.0.0"), null);
    assertThat(fetched.directory().resolve("charts/lib/Chart.yaml")).exists();
    assertThat(fetched.dependencies())
        .singleElement()
        .satisfies(d -> assertThat(d.ref().toString()).isEqualTo("lib 2.0.0 from " + repo.url()));
  }

  @Test
  void aDependencyFromARepositoryOffTheAllowListIsRefused() throws Exception {
    other.publish(
        "lib", "2.0.0", Map.of("Chart.yaml", "apiVersion: v2\nname: lib\nversion: 2.0.0\n"));
    repo.publish(
        "app",
        "1.0.0",
        Map.of(
            "Chart.yaml",
            "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
                + "  - {name: lib, version: 2.0.0, repository: \""
                + other.url()
                + "\"}\n",
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n"));
    RenderError why =
        rendering()
            .renderAll(fleet("f", "app", "1.0.0"), RenderListener.NONE)
            .unavailable()
            .get("prod-1");
    assertThat(why.message())
        .contains("dependency lib of app-1.0.0.tgz")
        .contains(other.url())
        .contains("not allowed");
    assertThat(other.requests()).isEmpty();
  }

  @Test
  void anArchiveOverTheSizeCapIsCutOffWhileItStreams() throws Exception {
    byte[] huge = new byte[(int) HttpChartRepository.MAX_ARCHIVE_BYTES + 1024];
    repo.publish("app", "1.0.0", huge);
    RenderError why =
        rendering()
            .renderAll(fleet("f", "app", "1.0.0"), RenderListener.NONE)
            .unavailable()
            .get("prod-1");
    assertThat(why.message())
        .contains("sent more than " + HttpChartRepository.MAX_ARCHIVE_BYTES + " bytes; refused");
    try (var scratch = Files.list(tmp.resolve("cache/scratch"))) {
      assertThat(scratch).as("the partial download is gone").isEmpty();
    }
  }

  @Test
  void aStalledRepositoryTimesOut() throws Exception {
    repo.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    repo.delay(4000);
    ChartAllowList allowed = ChartAllowList.parse(repo.url());
    FetchAndRender rendering =
        new FetchAndRender(
            new ChartFetcher(
                allowed,
                new ChartSources(
                    allowed, RepositoryCredentials.NONE, Map.of(), Duration.ofSeconds(1)),
                new ChartCache(tmp.resolve("cache"))),
            new FleetRenderer());
    long start = System.nanoTime();
    RenderError why =
        rendering
            .renderAll(fleet("f", "app", "1.0.0"), RenderListener.NONE)
            .unavailable()
            .get("prod-1");
    assertThat(why.message()).contains("did not answer within 1 s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }
}
