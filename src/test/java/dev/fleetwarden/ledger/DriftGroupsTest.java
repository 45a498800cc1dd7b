package dev.fleetwarden.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftGroup;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftGroupsTest {
  private static ClusterReport cluster(String name, ObjectDrift... drifts) {
    return ClusterReport.combine(name, PartStatus.of(drifts.length > 0), null, List.of(drifts));
  }

  @Test
  void theSameHotfixOnThreeClustersIsOneGroupAndADifferentValueIsNot() {
    FleetReport report =
        new FleetReport(
            List.of(
                cluster("prod-eu-1", Drifts.replicas("prod-eu-1", "ingress", 4, 6)),
                cluster("prod-us-1", Drifts.replicas("prod-us-1", "ingress", 4, 6)),
                cluster("prod-ap-1", Drifts.replicas("prod-ap-1", "ingress", 3, 6)),
                cluster("staging-1", Drifts.replicas("staging-1", "ingress", 4, 8)),
                cluster("dev-1", Drifts.missing("dev-1", "ConfigMap", "ingress", "x"))));

    List<DriftGroup> groups = DriftGroups.of(report);

    // desired may differ per cluster (values per environment): the live value is the cause
    assertThat(groups).singleElement();
    DriftGroup group = groups.get(0);
    assertThat(group.resource()).isEqualTo("Deployment.apps/ingress/ingress");
    assertThat(group.type()).isEqualTo(DriftType.MODIFIED);
    assertThat(group.paths()).containsExactly("/spec/replicas");
    assertThat(group.clusters()).containsExactly("prod-ap-1", "prod-eu-1", "prod-us-1");
    assertThat(group.managers()).containsExactly("kubectl-edit");
    assertThat(group.fingerprint()).hasSize(Fingerprints.LENGTH);
  }

  @Test
  void theFingerprintStaysWhenClustersJoinOrLeave() {
    ObjectDrift a = Drifts.replicas("a", "ingress", 4, 6);
    ObjectDrift b = Drifts.replicas("b", "ingress", 4, 6);
    ObjectDrift c = Drifts.replicas("c", "ingress", 4, 6);
    String two =
        DriftGroups.of(new FleetReport(List.of(cluster("a", a), cluster("b", b))))
            .get(0)
            .fingerprint();
    String three =
        DriftGroups.of(new FleetReport(List.of(cluster("a", a), cluster("b", b), cluster("c", c))))
            .get(0)
            .fingerprint();
    assertThat(three).isEqualTo(two);
    assertThat(DriftGroups.of(new FleetReport(List.of(cluster("a", a))))).isEmpty();
  }

  @Test
  void openFindingsOfSeveralClustersGroupAsTheReportDoesAndResolvedOnesLeave() {
    Instant t = Instant.parse("2026-12-02T08:00:00Z");
    Finding eu = Finding.observed(Drifts.replicas("prod-eu-1", "ingress", 4, 6), t, "r1");
    Finding us = Finding.observed(Drifts.replicas("prod-us-1", "ingress", 3, 6), t, "r1");
    Finding other = Finding.observed(Drifts.replicas("staging-1", "ingress", 4, 8), t, "r1");
    Finding gone =
        Finding.observed(Drifts.replicas("prod-ap-1", "ingress", 4, 6), t, "r1").resolved(t);

    List<FindingGroup> groups = DriftGroups.ofFindings(List.of(us, other, gone, eu));

    assertThat(groups).singleElement();
    FindingGroup group = groups.get(0);
    assertThat(group.clusters()).containsExactly("prod-eu-1", "prod-us-1");
    assertThat(group.resource()).isEqualTo("Deployment.apps/ingress/ingress");
    assertThat(group.fingerprint())
        .isEqualTo(DriftGroups.fingerprintOf(eu.drift()))
        .isEqualTo(
            DriftGroups.of(
                    new FleetReport(
                        List.of(
                            cluster("prod-eu-1", eu.drift()), cluster("prod-us-1", us.drift()))))
                .get(0)
                .fingerprint());
    assertThat(DriftGroups.ofFindings(List.of(eu, gone))).isEmpty();
  }
}
