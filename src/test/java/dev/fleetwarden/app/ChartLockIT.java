package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.charts.ChartFleet;
import dev.fleetwarden.charts.ChartRepositoryServer;
import dev.fleetwarden.charts.TarGz;
import dev.fleetwarden.fleet.ChartLock;
import dev.fleetwarden.fleet.ChartRef;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.render.RenderListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleetwarden lock}, {@code validate} and the operator's allow-list, each command in its own
 * JVM with its configuration in the environment (as an operator sets it), against a real chart
 * repository: the lock is written with the archives' digests, and a chart re-tagged under the same
 * version is caught by the next render with a cold cache and by the next {@code lock}.
 */
class ChartLockIT {
  @TempDir Path tmp;
  ChartRepositoryServer charts;
  Path fleet;

  record Run(int code, String out) {}

  @BeforeEach
  void setUp() {
    charts = ChartRepositoryServer.start("charts");
    charts.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    fleet =
        ChartFleet.write(
            tmp.resolve("fleet"),
            "{repository: %s, chart: app, version: 1.0.0}".formatted(charts.url()));
  }

  @AfterEach
  void stop() {
    charts.close();
  }

  private Run run(String workDir, Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.fleetwarden.app.Main");
    pb.command().addAll(List.of(args));
    pb.environment().keySet().removeIf(k -> k.startsWith("FLEETWARDEN_"));
    pb.environment().put("FLEETWARDEN_WORK_DIR", tmp.resolve(workDir).toString());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    return new Run(p.exitValue(), out);
  }

  /** What validate renders of prod-1, through the wiring of the same configuration. */
  private ClusterRender render(String workDir) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(allowed());
    env.put("FLEETWARDEN_WORK_DIR", tmp.resolve(workDir).toString());
    try (Wiring wiring = new Wiring(Config.defaults(env), env, java.time.Clock.systemUTC())) {
      Fleet loaded = FleetLoader.load(fleet, wiring.chartAllowList());
      return wiring.rendering().renderAll(loaded, RenderListener.NONE).all().get("prod-1");
    }
  }

  private Map<String, String> allowed() {
    return Map.of("FLEETWARDEN_HELM_ALLOWED_REPOSITORIES", charts.url());
  }

  @Test
  void lockWritesTheDigestsAndAReTaggedChartIsCaught() throws Exception {
    byte[] original = TarGz.chart("app", ChartFleet.chartFiles("app", "1.0.0", "one"));
    Run lock = run("work", allowed(), "lock", "--repo", fleet.toString());
    assertThat(lock.code()).as(lock.out()).isZero();
    assertThat(lock.out()).contains("wrote " + fleet.resolve("fleet.lock"));
    ChartLock written = ChartLock.parse(Files.readString(fleet.resolve("fleet.lock")));
    assertThat(written.digestOf(new ChartRef(charts.url(), "app", "1.0.0")))
        .contains(TarGz.sha256(original));

    assertThat(render("work").failed()).isFalse();

    // the same version published again with other content
    charts.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "changed"));
    int requests = charts.requests().size();

    ClusterRender warm = render("work");
    assertThat(warm.failed()).as("the locked archive is in the cache: %s", warm.error()).isFalse();
    assertThat(warm.objects().get(0).manifest().at("/data/marker").asText()).isEqualTo("one");
    assertThat(charts.requests()).as("nothing asked").hasSize(requests);

    ClusterRender cold = render("cold-work");
    assertThat(cold.failed()).isTrue();
    assertThat(cold.error().message())
        .contains("re-tagged")
        .contains(TarGz.sha256(original))
        .contains("delete its entry from fleet.lock");

    String before = Files.readString(fleet.resolve("fleet.lock"));
    Run relock = run("work", allowed(), "lock", "--repo", fleet.toString());
    assertThat(relock.code()).isEqualTo(1);
    assertThat(relock.out()).contains("re-tagged").contains("fleet.lock not written");
    assertThat(fleet.resolve("fleet.lock")).hasContent(before.strip());
  }

  @Test
  void aRepositoryTheOperatorDoesNotAllowIsAValidationErrorAtItsLine() throws Exception {
    Run refused =
        run(
            "work",
            Map.of("FLEETWARDEN_HELM_ALLOWED_REPOSITORIES", "https://charts.example.org/other"),
            "validate",
            "--repo",
            fleet.toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out())
        .contains("addons/app/addon.yaml:7:")
        .contains("chart source '" + charts.url() + "' is not allowed by the operator");
    assertThat(charts.requests()).isEmpty();
  }

  @Test
  void aRangeIsRefusedAtItsLineBeforeAnyRequest() throws Exception {
    Path addon = fleet.resolve("addons/app/addon.yaml");
    Files.writeString(addon, Files.readString(addon).replace("version: 1.0.0", "version: ^1.0.0"));
    Run range = run("work", allowed(), "validate", "--repo", fleet.toString());
    assertThat(range.code()).isEqualTo(1);
    assertThat(range.out())
        .contains("addons/app/addon.yaml:7:")
        .contains("version '^1.0.0' is a range");
    assertThat(charts.requests()).isEmpty();
  }
}
