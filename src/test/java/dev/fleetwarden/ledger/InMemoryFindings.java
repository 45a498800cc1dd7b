package dev.fleetwarden.ledger;

import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Findings} in memory: {@link ScanLedger} decides, as in the store, and every recorded scan
 * is appended to an {@link InMemoryScans}.
 */
public final class InMemoryFindings implements Findings {
  private static final Comparator<Finding> ORDER =
      Comparator.comparing((Finding f) -> f.resource().toString())
          .thenComparing(Finding::fingerprint);

  /** Findings by cluster and fingerprint. */
  private final Map<String, Map<String, Finding>> findings = new HashMap<>();

  private final InMemoryScans scans;

  public InMemoryFindings(InMemoryScans scans) {
    this.scans = scans;
  }

  @Override
  public synchronized ScanOutcome recordScan(ScanInput scan) {
    ScanOutcome outcome = ScanLedger.compare(scan, open(scan.cluster(), scan.scope()));
    Map<String, Finding> cluster = findings.computeIfAbsent(scan.cluster(), c -> new HashMap<>());
    outcome.newFindings().forEach(f -> cluster.put(f.fingerprint(), f));
    outcome.changed().forEach(c -> cluster.put(c.previous().fingerprint(), c.previous()));
    outcome.changed().forEach(c -> cluster.put(c.current().fingerprint(), c.current()));
    outcome.resolved().forEach(f -> cluster.put(f.fingerprint(), f));
    outcome.stillOpen().forEach(f -> cluster.put(f.fingerprint(), f));
    if (scan.isObjectVerdict()) {
      return outcome;
    }
    scans.append(
        new ScanRecord(
            0,
            scan.cluster(),
            scan.scopeLabel(),
            scan.at(),
            scan.revision(),
            outcome.status(),
            outcome.newFindings().size(),
            outcome.changed().size(),
            outcome.resolved().size(),
            outcome.open().size(),
            scan.duration(),
            null));
    return outcome;
  }

  @Override
  public synchronized ScanOutcome recordUnknown(
      String cluster,
      DriftSource scope,
      Instant at,
      Duration duration,
      String revision,
      String reason) {
    List<Finding> open = open(cluster, scope);
    scans.append(
        new ScanRecord(
            0,
            cluster,
            ScanInput.scopeLabel(scope),
            at,
            revision,
            ClusterStatus.UNKNOWN,
            0,
            0,
            0,
            open.size(),
            duration,
            reason));
    return new ScanOutcome(
        cluster, at, ClusterStatus.UNKNOWN, List.of(), List.of(), List.of(), open);
  }

  @Override
  public synchronized List<Finding> open(String cluster) {
    return open(cluster, null);
  }

  @Override
  public synchronized List<Finding> open() {
    return findings.values().stream()
        .flatMap(m -> m.values().stream())
        .filter(Finding::isOpen)
        .sorted(Comparator.comparing(Finding::cluster).thenComparing(ORDER))
        .toList();
  }

  @Override
  public synchronized Optional<Finding> find(String cluster, String fingerprint) {
    return Optional.ofNullable(findings.getOrDefault(cluster, Map.of()).get(fingerprint));
  }

  private List<Finding> open(String cluster, DriftSource scope) {
    return findings.getOrDefault(cluster, Map.of()).values().stream()
        .filter(Finding::isOpen)
        .filter(f -> scope == null || f.source() == scope)
        .sorted(ORDER)
        .toList();
  }
}
