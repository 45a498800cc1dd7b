package dev.fleetwarden.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.ChartLock;
import dev.fleetwarden.fleet.ChartRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetch step's rules over a fake repository: allow-list, lock, cache, retries. */
class ChartFetcherTest {
  static final String REPO = "https://charts.example.org/p";
  static final ChartRef APP = new ChartRef(REPO, "app", "1.0.0");
  static final ChartAllowList ALLOWED = ChartAllowList.parse(REPO);

  @TempDir Path tmp;
  FakeChartSource source = new FakeChartSource();

  static byte[] app(String marker) {
    return TarGz.chart(
        "app",
        Map.of(
            "Chart.yaml",
            "apiVersion: v2\nname: app\nversion: 1.0.0\n",
            "templates/cm.yaml",
            "kind: ConfigMap\ndata: {marker: " + marker + "}\n"));
  }

  private ChartFetcher fetcher() {
    return new ChartFetcher(ALLOWED, source, new ChartCache(tmp.resolve("cache")));
  }

  @Test
  void aFetchedChartIsServedFromTheCacheWithoutAskingAgainAfterARestartToo() throws Exception {
    source.publish(APP, app("one"));
    ChartFetcher.Fetched first = fetcher().fetch(APP, null);
    assertThat(first.directory().resolve("templates/cm.yaml")).content().contains("one");
    assertThat(first.digest()).isEqualTo(TarGz.sha256(app("one")));
    assertThat(source.calls()).isEqualTo(2);

    // a new fetcher over the same cache directory: the service restarted
    ChartFetcher.Fetched again = fetcher().fetch(APP, null);
    assertThat(again.directory()).isEqualTo(first.directory());
    assertThat(source.calls()).as("no request for a cached chart").isEqualTo(2);
  }

  @Test
  void withALockTheCachedEntryOfTheLockedDigestIsUsedWithoutARequest() throws Exception {
    source.publish(APP, app("one"));
    ChartLock lock = lock(APP, TarGz.sha256(app("one")));
    fetcher().fetch(APP, lock);
    int calls = source.calls();
    assertThat(fetcher().fetch(APP, lock).digest()).isEqualTo(TarGz.sha256(app("one")));
    assertThat(source.calls()).isEqualTo(calls);
  }

  @Test
  void aReTaggedChartIsRefusedAgainstTheLock() {
    source.publish(APP, app("two"));
    ChartLock lock = lock(APP, TarGz.sha256(app("one")));
    assertThatThrownBy(() -> fetcher().fetch(APP, lock))
        .isInstanceOf(ChartFetchException.class)
        .hasMessageContaining("re-tagged")
        .hasMessageContaining(TarGz.sha256(app("one")))
        .hasMessageContaining(TarGz.sha256(app("two")));
    assertThat(source.downloads.get()).as("nothing downloaded").isZero();
  }

  @Test
  void withALockAChartItDoesNotHoldIsRefusedBeforeAnyRequest() {
    source.publish(APP, app("one"));
    ChartLock lock = lock(new ChartRef(REPO, "other", "1.0.0"), TarGz.sha256(app("x")));
    assertThatThrownBy(() -> fetcher().fetch(APP, lock))
        .hasMessageContaining("not in fleet.lock")
        .hasMessageContaining("fleetwarden lock");
    assertThat(source.calls()).isZero();
  }

  @Test
  void aSourceOffTheAllowListIsRefusedBeforeAnyRequest() {
    ChartRef elsewhere = new ChartRef("https://evil.example.net/charts", "app", "1.0.0");
    source.publish(elsewhere, app("evil"));
    assertThatThrownBy(() -> fetcher().fetch(elsewhere, null))
        .hasMessageContaining("not allowed by the operator");
    assertThat(source.calls()).isZero();
  }

  @Test
  void aFailureIsNotRememberedTheNextFetchTriesAgain() throws Exception {
    source.publish(APP, app("one"));
    source.down = true;
    ChartFetcher fetcher = fetcher();
    assertThatThrownBy(() -> fetcher.fetch(APP, null)).hasMessageContaining("down");
    source.down = false;
    assertThat(fetcher.fetch(APP, null).directory()).exists();
  }

  @Test
  void anUnsafeArchiveIsRefusedAndLeavesNothingInTheCache() throws Exception {
    byte[] evil =
        new TarGz()
            .file("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n")
            .symlink("app/values.yaml", "/etc/passwd")
            .gzip();
    source.publish(APP, evil);
    assertThatThrownBy(() -> fetcher().fetch(APP, null))
        .hasMessageContaining("app-1.0.0.tgz is refused")
        .hasMessageContaining("symbolic link");
    try (var entries = Files.list(tmp.resolve("cache/entries"))) {
      assertThat(entries).isEmpty();
    }
    try (var scratch = Files.list(tmp.resolve("cache/scratch"))) {
      assertThat(scratch).isEmpty();
    }
  }

  @Test
  void manyClustersNeedingOneChartAtOnceFetchItOnce() throws Exception {
    source.publish(APP, app("one"));
    ChartFetcher fetcher = fetcher();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ChartFetcher.Fetched>> all = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        all.add(pool.submit((Callable<ChartFetcher.Fetched>) () -> fetcher.fetch(APP, null)));
      }
      for (Future<ChartFetcher.Fetched> f : all) {
        assertThat(f.get().directory()).exists();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(source.downloads.get()).isEqualTo(1);
  }

  @Test
  void lockAsksTheRepositoryAndCatchesARetag() throws Exception {
    source.publish(APP, app("one"));
    List<ChartFetchException> failures = new ArrayList<>();
    ChartFetcher fetcher = fetcher();
    dev.fleetwarden.fleet.Fleet fleet = fleetNaming(APP, null);
    ChartLock lock = fetcher.lock(fleet, failures);
    assertThat(failures).isEmpty();
    assertThat(lock.digestOf(APP)).contains(TarGz.sha256(app("one")));

    source.publish(APP, app("two"));
    fetcher.lock(fleetNaming(APP, lock), failures);
    assertThat(failures)
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("re-tagged"));
  }

  static ChartLock lock(ChartRef chart, String digest) {
    return new ChartLock(
        List.of(new ChartLock.Entry(chart.repository(), chart.chart(), chart.version(), digest)));
  }

  /** A fleet whose one add-on names {@code chart}, with {@code lock}. */
  private dev.fleetwarden.fleet.Fleet fleetNaming(ChartRef chart, ChartLock lock) {
    var addon =
        new dev.fleetwarden.fleet.AddonSpec(
            "app",
            "addons/app/addon.yaml",
            null,
            "app",
            dev.fleetwarden.fleet.AddonSource.remote(chart),
            dev.fleetwarden.fleet.Values.EMPTY,
            Map.of(),
            List.of(),
            null);
    return new dev.fleetwarden.fleet.Fleet(
        tmp,
        null,
        new java.util.TreeMap<>(),
        new java.util.TreeMap<>(Map.of("app", addon)),
        new java.util.TreeMap<>(),
        lock);
  }
}
