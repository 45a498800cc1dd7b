package dev.fleetwarden.remediate;

import java.util.List;
import java.util.Optional;

/** Where pull request state lives between scans, keyed by cluster and drift fingerprint. */
public interface PrStatePort {
  /** The record of a drift, if a pull request was ever opened for it. */
  Optional<PrRecord> find(String cluster, String fingerprint);

  /** Records of a cluster in state {@link PrRecord.State#OPEN}, ordered by fingerprint. */
  List<PrRecord> open(String cluster);

  /**
   * Creates or replaces the record of {@code record.cluster()} and {@code record.fingerprint()}.
   */
  void save(PrRecord record);

  /** Forgets a record (used when a changed drift moves its PR to the new fingerprint). */
  void delete(String cluster, String fingerprint);
}
