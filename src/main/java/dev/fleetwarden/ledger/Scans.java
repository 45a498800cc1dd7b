package dev.fleetwarden.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The history of scans, appended by {@link Findings} (every recorded scan) and {@link Revisions}
 * (render errors).
 */
public interface Scans {

  /** The most recent scans of a cluster, newest first. */
  List<ScanRecord> recent(String cluster, int limit);

  /** The last scan of a cluster, if any. */
  default Optional<ScanRecord> last(String cluster) {
    return recent(cluster, 1).stream().findFirst();
  }

  /** The last scan of every cluster that has one, ordered by cluster. */
  List<ScanRecord> lastOfEachCluster();

  /** Deletes history entries older than {@code before}; returns how many were deleted. */
  int prune(Instant before);
}
