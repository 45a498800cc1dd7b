package dev.fleetwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The watch benchmarks end to end at a tiny size, checked for what they measure: every edit
 * reported by an alert and recorded as a finding, every object watched, the edits made while
 * watches were down reported. Timings are printed, never asserted.
 */
class WatchBenchmarkSmokeIT {

  @Test
  void everyLiveEditIsReportedOnceWithItsLatency() {
    WatchBenchmark.LatencyResult r = WatchBenchmark.latency(2, 30, 6, Duration.ofMillis(50), 0);
    System.out.println(r);
    assertThat(r.lost()).isEmpty();
    assertThat(r.reported()).isEqualTo(6);
    assertThat(r.millis()).hasSize(6).allSatisfy(ms -> assertThat(ms).isNotNegative());
    assertThat(r.recorded()).as("each edit is an open finding").isEqualTo(6);
    assertThat(r.openFindings()).as("and nothing else is").isEqualTo(6);
    assertThat(r.windowMillis()).as("the default coalescing window").isEqualTo(1000);
    assertThat(r.max()).isGreaterThanOrEqualTo(r.p95()).isGreaterThanOrEqualTo(r.p50());
    assertThat(r.toString()).doesNotContain("LOST");
  }

  @Test
  void everyObjectOfEveryClusterIsWatchedAndInSync() {
    WatchBenchmark.ScaleResult r = WatchBenchmark.scale(2, 30, Duration.ofSeconds(1), true);
    System.out.println(r);
    assertThat(r.objectsCached()).isEqualTo(60);
    assertThat(r.cacheBytes()).isPositive();
    // Per cluster: 3 kinds x 10 namespaces, and one ownership-label watch per kind.
    assertThat(r.watchConnections()).isEqualTo(2 * (3 * 10 + 3));
    assertThat(r.openFindings()).as("live as applied: no drift").isZero();
    assertThat(r.heapServersBytes()).isPositive();
    assertThat(r.heapWatchingBytes()).isPositive();
    assertThat(r.fullScanWallMillis()).isNotNegative();
  }

  @Test
  void editsMadeWhileWatchesAreDownAreStillReported() {
    WatchBenchmark.MissResult r = WatchBenchmark.miss(3, 30, 2, 4, Duration.ofSeconds(2));
    System.out.println(r);
    assertThat(r.faulted()).hasSize(2);
    assertThat(r.droppedConnections()).as("watch connections closed").isPositive();
    assertThat(r.droppedReported()).isEqualTo(r.droppedEdits()).isEqualTo(2);
    assertThat(r.reportedByWatch() + r.reportedBySafetyNet()).isEqualTo(4);
    assertThat(r.lost()).isEmpty();
    assertThat(r.missedBySafetyNet()).isZero();
  }
}
