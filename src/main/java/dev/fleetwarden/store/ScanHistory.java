package dev.fleetwarden.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The history of scans, appended by {@link FindingStore} and {@link RenderStore}. */
public interface ScanHistory {

  /** The most recent scans of a cluster, newest first. */
  List<ScanRecord> recentScans(String cluster, int limit);

  /** The last scan of a cluster, if any. */
  Optional<ScanRecord> lastScan(String cluster);

  /** The last scan of every cluster that has one, ordered by cluster. */
  List<ScanRecord> lastScans();

  /** Deletes history entries older than {@code before}; returns how many were deleted. */
  int pruneScans(Instant before);
}
