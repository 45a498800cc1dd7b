package dev.fleetwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark runs end to end at a tiny size and is checked for what it measures (drift found,
 * clusters rendered and re-rendered, the cloud check agreeing with the bare plan); timings are
 * printed, never asserted. {@code DiffBenchmark}'s workload is checked by {@code
 * drift.BenchmarkWorkloadTest}.
 */
class BenchmarksSmokeIT {

  @Test
  void scanFindsExactlyThePlantedDriftOnEveryCluster() {
    ScanBenchmark.Result r = ScanBenchmark.run(2, 40);
    System.out.println(r);
    assertThat(r.clusters()).isEqualTo(2);
    assertThat(r.objects()).isEqualTo(80);
    assertThat(r.planted()).isEqualTo(2);
    assertThat(r.drifts()).isEqualTo(r.planted());
    assertThat(r.parallelism()).isEqualTo(2);
  }

  @Test
  void renderBenchmarkRendersEveryGeneratedCluster() {
    RenderBenchmark.Result r = RenderBenchmark.run(3);
    System.out.println(r);
    assertThat(r.clusters()).isEqualTo(3);
    assertThat(r.failed()).isZero();
    assertThat(r.objects()).isPositive();
    assertThat(r.helmRuns()).isPositive();
  }

  @Test
  void generatedDesiredObjectsMixKindsOverTenNamespaces() {
    var objects = ScanBenchmark.desiredObjects("c", 30, new Random(1));
    assertThat(objects).hasSize(30);
    assertThat(objects.stream().map(o -> o.id().kind()).distinct())
        .containsExactlyInAnyOrder("Deployment", "ConfigMap", "Service");
    assertThat(objects.stream().map(o -> o.id().namespace()).distinct()).hasSize(10);
    assertThat(objects).allSatisfy(o -> assertThat(o.id().cluster()).isEqualTo("c"));
  }

  @Test
  void aCommitReRendersOneClusterAndItsReportShowsTheChange() {
    Assumptions.assumeTrue(
        onPath("kustomize") || onPath("kubectl"),
        "neither kustomize nor kubectl is on PATH: the example fleet's Kustomize add-on needs one");
    CommitToVerdictBenchmark.Result r =
        CommitToVerdictBenchmark.run(3, 2, FleetGenerator.defaultTemplate());
    System.out.println(r);
    assertThat(r.generatedClusters()).isEqualTo(3);
    assertThat(r.clusters()).isEqualTo(3 + 5);
    assertThat(r.changedCluster()).isEqualTo("gen-001");
    assertThat(r.reRenderedPerCommit()).isEqualTo(1);
    assertThat(r.latenciesMillis()).hasSize(2);
    assertThat(r.maxMillis()).isGreaterThanOrEqualTo(r.medianMillis());
  }

  @Test
  void previewRendersOnlyTheAffectedClustersAndFindsTheirChange() {
    Assumptions.assumeTrue(
        onPath("kustomize") || onPath("kubectl"),
        "neither kustomize nor kubectl is on PATH: the example fleet's Kustomize add-on needs one");
    PreviewBenchmark.Result r = PreviewBenchmark.run(3, 2, FleetGenerator.defaultTemplate());
    System.out.println(r);
    assertThat(r.clusters()).isEqualTo(3 + 5);
    assertThat(r.oneCluster().changedClusters()).isEqualTo(1);
    assertThat(r.oneCluster().renderedPerPreview()).as("one cluster, both sides").isEqualTo(2);
    assertThat(r.oneCluster().millis()).hasSize(2);
    // Every cluster but mgmt runs ingress (its selector is role: workload).
    assertThat(r.addon().changedClusters()).isGreaterThanOrEqualTo(3);
    assertThat(r.addon().renderedPerPreview()).isEqualTo(2 * r.addon().changedClusters());
  }

  @Test
  void commitBenchmarkNeedsAClusterWithIngressValues() {
    // gen-000 is the only generated cluster and gets no values files of its own.
    assertThatThrownBy(() -> CommitToVerdictBenchmark.run(1, 1, FleetGenerator.defaultTemplate()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("values/ingress.yaml");
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
