package dev.fleetwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link ChartFetchBenchmark} at a tiny size, checked for what it measures: the cold run reads the
 * repository's index once and each chart's archive, the warm run asks nothing, every cluster
 * renders all charts. Timings are printed, never asserted.
 */
class ChartBenchmarkSmokeIT {
  @Test
  void coldFetchesEveryChartOnceAndWarmSendsNoRequest() {
    ChartFetchBenchmark.Result r = ChartFetchBenchmark.run(3, 2, 1);
    System.out.println(r);
    assertThat(r.failed()).isZero();
    assertThat(r.coldRequests()).as("the index, then one archive per chart").isEqualTo(1 + 2);
    assertThat(r.warmRequests()).isZero();
    assertThat(r.objects()).as("three objects per chart").isEqualTo(2 * 3);
  }
}
