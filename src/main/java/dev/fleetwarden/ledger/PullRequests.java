package dev.fleetwarden.ledger;

import java.util.List;
import java.util.Optional;

/**
 * The remediation pull request of each drift fingerprint, kept between scans so that a restarted
 * service (or another node) follows the pull requests it opened. Found by cluster and fingerprint;
 * fingerprints are unique across clusters, so a state is kept per fingerprint.
 */
public interface PullRequests {

  /** The state of a drift's pull request, if one was ever opened for it. */
  Optional<PullRequestState> find(String cluster, String fingerprint);

  /**
   * The pull requests of a cluster in status {@link PullRequestState.Status#OPEN}, by fingerprint.
   */
  List<PullRequestState> open(String cluster);

  /**
   * Creates or replaces the state of {@code state.fingerprint()}; a null {@code updatedAt} is
   * stamped with the time of saving.
   */
  void save(PullRequestState state);

  /**
   * Forgets the state of a drift of a cluster (used when a changed drift moves its pull request to
   * the new fingerprint); nothing happens when there is none.
   */
  void delete(String cluster, String fingerprint);
}
