package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Remote chart sources in {@code addon.yaml}: the two forms, exact versions only, per-environment
 * and per-cluster versions, the operator's allow-list and {@code fleet.lock}, each refusal at its
 * file and line.
 */
class RemoteChartSourcesTest {
  static final String REPO = "https://charts.example.org/platform";
  static final ChartAllowList ALLOWED =
      ChartAllowList.parse(REPO + ",oci://registry.example.org/charts");

  @TempDir Path dir;

  private FleetFixture fleet(String source) {
    return new FleetFixture(dir)
        .write(
            "addons/exporter/addon.yaml",
            """
            apiVersion: fleetwarden.dev/v1alpha1
            kind: Addon
            metadata:
              name: exporter
            spec:
              namespace: monitoring
              source:
            %s
              clusterSelector: {}
            """
                .formatted(source.indent(4).stripTrailing()));
  }

  private static List<FleetError> errors(FleetFixture f, ChartAllowList allowList) {
    try {
      FleetLoader.load(f.root, allowList);
    } catch (FleetValidationException e) {
      return e.errors();
    }
    throw new AssertionError("expected the fleet to be invalid");
  }

  @Test
  void aRepositorySourceNamesChartAndExactVersion() throws Exception {
    FleetFixture f =
        fleet(
            """
            helm:
              repository: %s/
              chart: event-exporter
              version: 1.0.0
            """
                .formatted(REPO));
    Fleet loaded = FleetLoader.load(f.root, ALLOWED);
    AddonSource source = loaded.addons().get("exporter").source();
    assertThat(source.remote()).isTrue();
    assertThat(source.path()).isNull();
    assertThat(source.chart()).isEqualTo(new ChartRef(REPO, "event-exporter", "1.0.0"));
    assertThat(source.chart().location()).isEqualTo(REPO);
    assertThat(loaded.chartsOf(loaded.clusters().keySet()))
        .containsExactly(new ChartRef(REPO, "event-exporter", "1.0.0"));
  }

  @Test
  void anOciSourceNamesTheChartInItsReference() throws Exception {
    FleetFixture f =
        fleet(
            """
            helm:
              oci: oci://registry.example.org/charts/event-exporter
              version: v2.0.0-rc.1
            """);
    ChartRef chart = FleetLoader.load(f.root, ALLOWED).addons().get("exporter").source().chart();
    assertThat(chart.oci()).isTrue();
    assertThat(chart.repository()).isEqualTo("oci://registry.example.org/charts");
    assertThat(chart.chart()).isEqualTo("event-exporter");
    assertThat(chart.location()).isEqualTo("oci://registry.example.org/charts/event-exporter");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"^1.2.0", "~1.2", ">=1.0.0", "1.x", "*", "1.2", "1.0.0 - 2.0.0", "latest"})
  void aVersionThatIsNoExactVersionIsRefusedAtItsLine(String version) {
    FleetFixture f =
        fleet(
            """
            helm:
              repository: %s
              chart: event-exporter
              version: "%s"
            """
                .formatted(REPO, version));
    assertThat(errors(f, ALLOWED))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("addons/exporter/addon.yaml");
              assertThat(e.line()).isEqualTo(11);
              assertThat(e.message()).contains("'" + version + "'").contains("exact");
            });
  }

  @Test
  void aRepositoryOffTheAllowListIsRefusedAtItsLine() {
    FleetFixture f =
        fleet(
            """
            helm:
              repository: https://charts.example.org/platform-evil
              chart: event-exporter
              version: 1.0.0
            """);
    assertThat(errors(f, ALLOWED))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("addons/exporter/addon.yaml");
              assertThat(e.line()).isEqualTo(9);
              assertThat(e.message())
                  .contains("https://charts.example.org/platform-evil")
                  .contains("helm.allowedRepositories");
            });
    assertThat(errors(f, ChartAllowList.NONE)).hasSize(1);
  }

  @Test
  void credentialsInTheUrlAreRefused() {
    FleetFixture f =
        fleet(
            """
            helm:
              repository: https://user:secret@charts.example.org/platform
              chart: event-exporter
              version: 1.0.0
            """);
    assertThat(errors(f, ALLOWED))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("credentials come from the operator"));
  }

  @Test
  void environmentAndClusterVersionsLayerOverTheAddon() throws Exception {
    FleetFixture f =
        fleet(
                """
                helm:
                  repository: %s
                  chart: event-exporter
                  version: 1.0.0
                """
                    .formatted(REPO))
            .write(
                "environments/prod.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Environment
                metadata:
                  name: prod
                spec:
                  chartVersions:
                    exporter: 1.1.0
                """)
            .write(
                "clusters/prod-1/cluster.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: prod-1
                spec:
                  role: workload
                  environment: prod
                  addons:
                    - name: exporter
                      chartVersion: 1.2.0
                """);
    Fleet loaded = FleetLoader.load(f.root, ALLOWED);
    AddonSpec exporter = loaded.addons().get("exporter");
    assertThat(loaded.chartOf(loaded.clusters().get("mgmt"), exporter).version())
        .isEqualTo("1.1.0");
    assertThat(loaded.chartOf(loaded.clusters().get("prod-1"), exporter).version())
        .isEqualTo("1.2.0");
    assertThat(loaded.declaredCharts())
        .extracting(ChartRef::version)
        .containsExactly("1.0.0", "1.1.0", "1.2.0");
    assertThat(loaded.chartsOf(loaded.clusters().keySet()))
        .extracting(ChartRef::version)
        .containsExactly("1.1.0", "1.2.0");
  }

  @Test
  void aVersionOverrideIsCheckedToo() {
    FleetFixture f =
        fleet(
                """
                helm:
                  repository: %s
                  chart: event-exporter
                  version: 1.0.0
                """
                    .formatted(REPO))
            .write(
                "environments/prod.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Environment
                metadata:
                  name: prod
                spec:
                  chartVersions:
                    exporter: ~1.1
                    web: 2.0.0
                """);
    assertThat(errors(f, ALLOWED))
        .extracting(FleetError::toString)
        .containsExactly(
            "environments/prod.yaml:7:5: version '~1.1' is a range; name one exact version"
                + " (X.Y.Z) so every render of a commit is the same, and change it by commit",
            "environments/prod.yaml:8:5: chartVersions applies to add-ons whose chart comes from"
                + " a repository or registry; add-on 'web' renders from the fleet repo");
  }

  @Test
  void withALockEveryChartMustBeInItAndTheLockIsCheckedToo() {
    FleetFixture f =
        fleet(
                """
                helm:
                  repository: %s
                  chart: event-exporter
                  version: 1.1.0
                """
                    .formatted(REPO))
            .write(
                "fleet.lock",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: ChartLock
                charts:
                  - repository: %s
                    chart: event-exporter
                    version: 1.0.0
                    digest: sha256:%s
                """
                    .formatted(REPO, "a".repeat(64)));
    assertThat(errors(f, ALLOWED))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("addons/exporter/addon.yaml");
              assertThat(e.line()).isEqualTo(11);
              assertThat(e.message())
                  .contains("event-exporter 1.1.0")
                  .contains("not in fleet.lock")
                  .contains("fleetwarden lock");
            });
    // lock itself loads such a fleet: it is about to write the missing entry
    org.assertj.core.api.Assertions.assertThatCode(
            () -> FleetLoader.loadForLocking(f.root, ALLOWED))
        .doesNotThrowAnyException();
  }

  @Test
  void aBrokenLockIsRefusedWithItsLine() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "fleet.lock",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: ChartLock
                charts:
                  - repository: %s
                    chart: event-exporter
                    version: 1.0.0
                    digest: md5:abc
                """
                    .formatted(REPO));
    assertThat(errors(f, ALLOWED))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("fleet.lock");
              assertThat(e.line()).isEqualTo(7);
            });
  }

  @Test
  void theLockFileRoundTrips() throws Exception {
    ChartLock lock =
        new ChartLock(
            List.of(
                new ChartLock.Entry(REPO, "b", "1.0.0", "sha256:" + "b".repeat(64)),
                new ChartLock.Entry(REPO, "a", "2.0.0", "sha256:" + "a".repeat(64))));
    ChartLock read = ChartLock.parse(lock.format());
    assertThat(read).isEqualTo(lock);
    assertThat(read.entries()).extracting(ChartLock.Entry::chart).containsExactly("a", "b");
    assertThat(read.digestOf(new ChartRef(REPO + "/", "a", "2.0.0")))
        .contains("sha256:" + "a".repeat(64));
  }

  @Test
  void aLocalChartTakesNoVersion() {
    FleetFixture f =
        fleet(
            """
            helm:
              chart: chart
              version: 1.0.0
            """);
    f.write("addons/exporter/chart/Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n");
    assertThat(errors(f, ALLOWED))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("version applies to charts from a"));
  }
}
