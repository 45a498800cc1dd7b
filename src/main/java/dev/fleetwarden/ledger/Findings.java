package dev.fleetwarden.ledger;

import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.ObjectDrift;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The drift findings per cluster and fingerprint, with their lifecycle (first seen, last seen,
 * changed, resolved), as {@link ScanLedger} decides it. Recording a scan also appends it to the
 * {@link Scans scan history}. Scans of one cluster are expected to be recorded by one caller at a
 * time (the scheduler runs one job per task and cluster); scans of different clusters may run in
 * parallel.
 */
public interface Findings {

  /**
   * Records a full scan of a cluster (Kubernetes and Terraform): upserts every drift, resolves the
   * open findings that are no longer present, appends the scan history, and returns what changed.
   * Same as {@code recordScan(new ScanInput(cluster, null, at, Duration.ZERO, revision, drifts))}.
   *
   * @param cluster the cluster scanned
   * @param at when the scan observed the cluster
   * @param drifts every drift found (an empty list means the cluster is in sync)
   * @param revision the fleet revision the desired state was rendered from (may be null)
   */
  default ScanOutcome recordScan(
      String cluster, Instant at, List<ObjectDrift> drifts, String revision) {
    return recordScan(new ScanInput(cluster, null, at, Duration.ZERO, revision, drifts));
  }

  /**
   * Records a scan, possibly limited to one {@link ScanInput#scope()} (a Kubernetes-only scan does
   * not resolve Terraform findings). Atomic: either everything is recorded or nothing.
   *
   * @throws IllegalArgumentException when a drift belongs to another cluster or another scope
   */
  ScanOutcome recordScan(ScanInput scan);

  /**
   * Records that a cluster could not be observed (unreachable, broken render): nothing is resolved
   * and nothing is new; the scan history gets an {@code unknown} entry with the reason.
   *
   * @return an outcome with status UNKNOWN whose {@code stillOpen} lists the findings left open
   */
  default ScanOutcome recordUnknown(String cluster, Instant at, String revision, String reason) {
    return recordUnknown(cluster, null, at, Duration.ZERO, revision, reason);
  }

  /**
   * As {@link #recordUnknown(String, Instant, String, String)}, for one scope (null: the whole
   * cluster) and with how long the attempt took.
   */
  ScanOutcome recordUnknown(
      String cluster,
      DriftSource scope,
      Instant at,
      Duration duration,
      String revision,
      String reason);

  /** Open findings of one cluster, ordered by resource and fingerprint. */
  List<Finding> open(String cluster);

  /** Open findings of every cluster, ordered by cluster, resource and fingerprint. */
  List<Finding> open();

  /** One finding, open or resolved. */
  Optional<Finding> find(String cluster, String fingerprint);
}
