package dev.fleetwarden.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.charts.ChartCache;
import dev.fleetwarden.charts.ChartFetcher;
import dev.fleetwarden.charts.ChartFleet;
import dev.fleetwarden.charts.ChartRepositoryServer;
import dev.fleetwarden.charts.ChartSources;
import dev.fleetwarden.charts.RepositoryCredentials;
import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.git.GitSettings;
import dev.fleetwarden.git.JGitFleetRepository;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service with a remote chart from a real chart repository: a commit whose chart cannot be
 * fetched leaves its clusters {@code unknown} with the reason and their last good render (never
 * "everything missing", never a broken commit), and the next scan after the repository is back
 * renders the new version.
 */
class ChartFetchServiceIT {
  @TempDir Path tmp;
  ChartRepositoryServer charts;
  Git remote;
  JdbcStore store;
  JGitFleetRepository repo;
  FakeLiveSource live = new FakeLiveSource();
  FleetService service;

  @BeforeEach
  void setUp() throws Exception {
    charts = ChartRepositoryServer.start("charts");
    charts.publish("app", "1.0.0", ChartFleet.chartFiles("app", "1.0.0", "one"));
    charts.publish("app", "1.1.0", ChartFleet.chartFiles("app", "1.1.0", "two"));
    Path remoteDir =
        ChartFleet.write(
            tmp.resolve("remote"),
            "{repository: %s, chart: app, version: 1.0.0}".formatted(charts.url()));
    remote = Git.init().setDirectory(remoteDir.toFile()).setInitialBranch("main").call();
    commit("a remote chart");
    store = JdbcStore.open(StoreConfig.embedded(tmp.resolve("db")));
    repo =
        new JGitFleetRepository(
            GitSettings.of(remoteDir.toUri().toString(), "main", tmp.resolve("clone")));
    ChartAllowList allowed = ChartAllowList.parse(charts.url());
    FetchAndRender rendering =
        new FetchAndRender(
            new ChartFetcher(
                allowed,
                new ChartSources(
                    allowed, RepositoryCredentials.NONE, Map.of(), Duration.ofSeconds(5)),
                new ChartCache(tmp.resolve("charts"))),
            new FleetRenderer());
    service = new FleetService(repo, rendering, live, null, store, null, Clock.systemUTC(), null);
    service.start();
    live.sync("prod-1", service.render("prod-1").objects());
  }

  @AfterEach
  void tearDown() {
    repo.close();
    store.close();
    remote.close();
    charts.close();
  }

  private void commit(String message) throws Exception {
    remote.add().addFilepattern(".").call();
    remote.commit().setMessage(message).setSign(false).setAuthor("dev", "dev@example.org").call();
  }

  private String marker() {
    return service.render("prod-1").objects().get(0).manifest().at("/data/marker").asText();
  }

  @Test
  void aFailedFetchLeavesTheClusterUnknownWithItsLastGoodRender() throws Exception {
    assertThat(service.scanKubernetes("prod-1").status()).isEqualTo(ClusterStatus.IN_SYNC);
    String good = service.revision();
    Path addon = tmp.resolve("remote/addons/app/addon.yaml");
    Files.writeString(addon, Files.readString(addon).replace("version: 1.0.0", "version: 1.1.0"));
    commit("app 1.1.0");
    charts.failWith(503);

    service.pollGit();
    assertThat(service.brokenRevision()).as("not a broken commit").isNull();
    assertThat(service.revision()).isNotEqualTo(good);
    assertThat(marker()).as("the last good render stays").isEqualTo("one");

    ClusterReport report = service.scanKubernetes("prod-1");
    assertThat(report.status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(report.reason())
        .contains("cannot fetch chart app 1.1.0 from " + charts.url())
        .contains("answered 503")
        .contains("keeping the last good render (" + good.substring(0, 10) + ")");
    assertThat(report.drifts()).isEmpty();
    assertThat(store.findings().open("prod-1")).isEmpty();
    assertThat(service.scanRevisions().get("prod-1")).isEqualTo(good);

    // the repository is back: the next scan fetches, renders 1.1.0 and compares it
    charts.failWith(0);
    ClusterReport back = service.scanKubernetes("prod-1");
    assertThat(marker()).isEqualTo("two");
    assertThat(back.status()).isEqualTo(ClusterStatus.DRIFTED);
    assertThat(back.drifts())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.source()).isEqualTo(DriftSource.KUBERNETES);
              assertThat(d.fields().get(0).path()).isEqualTo("/data/marker");
            });
    assertThat(service.scanRevisions().get("prod-1")).isEqualTo(service.revision());
  }

  @Test
  void aFirstStartWithoutTheRepositoryIsUnknownNotEverythingMissing() throws Exception {
    charts.failWith(503);
    store.close();
    repo.close();
    store = JdbcStore.open(StoreConfig.embedded(tmp.resolve("db2")));
    repo =
        new JGitFleetRepository(
            GitSettings.of(
                tmp.resolve("remote").toUri().toString(), "main", tmp.resolve("clone2")));
    ChartAllowList allowed = ChartAllowList.parse(charts.url());
    FleetService fresh =
        new FleetService(
            repo,
            new FetchAndRender(
                new ChartFetcher(
                    allowed,
                    new ChartSources(
                        allowed, RepositoryCredentials.NONE, Map.of(), Duration.ofSeconds(5)),
                    new ChartCache(tmp.resolve("cold-cache"))),
                new FleetRenderer()),
            live,
            null,
            store,
            null,
            Clock.systemUTC(),
            null);
    fresh.start();
    ClusterReport report = fresh.scanKubernetes("prod-1");
    assertThat(report.status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(report.reason())
        .contains("cannot fetch chart app 1.0.0")
        .contains("no good render yet");
    assertThat(report.drifts()).isEmpty();
    assertThat(fresh.scanKubernetes("mgmt").status()).isEqualTo(ClusterStatus.IN_SYNC);
  }
}
