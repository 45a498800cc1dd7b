package dev.fleetwarden.ledger;

import dev.fleetwarden.model.ClusterStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Revisions} in memory; a render error is appended to an {@link InMemoryScans} with the
 * cluster's open findings counted, and {@link InMemoryRenderHistory} marks revisions good.
 */
public final class InMemoryRevisions implements Revisions {
  private final Map<String, RevisionState> states = new HashMap<>();
  private final Clock clock;
  private final InMemoryScans scans;
  private final InMemoryFindings findings;

  public InMemoryRevisions(Clock clock, InMemoryScans scans, InMemoryFindings findings) {
    this.clock = clock;
    this.scans = scans;
    this.findings = findings;
  }

  synchronized void markGood(String cluster, String revision, Instant at) {
    states.put(cluster, new RevisionState(cluster, revision, at, null, null, null));
  }

  @Override
  public synchronized void recordRenderError(String cluster, String revision, String message) {
    Instant now = clock.instant();
    RevisionState before = states.get(cluster);
    states.put(
        cluster,
        new RevisionState(
            cluster,
            before == null ? null : before.goodRevision(),
            before == null ? null : before.goodAt(),
            revision,
            message,
            now));
    scans.append(
        new ScanRecord(
            0,
            cluster,
            "all",
            now,
            revision,
            ClusterStatus.RENDER_ERROR,
            0,
            0,
            0,
            findings.open(cluster).size(),
            Duration.ZERO,
            message));
  }

  @Override
  public synchronized Optional<RevisionState> state(String cluster) {
    return Optional.ofNullable(states.get(cluster));
  }
}
