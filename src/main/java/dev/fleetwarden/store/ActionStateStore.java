package dev.fleetwarden.store;

import java.util.List;
import java.util.Optional;

/** What was done about each drift fingerprint: the alert posted and the pull request opened. */
public interface ActionStateStore {

  /** The alert of a fingerprint, if one was posted. */
  Optional<AlertState> alertState(String fingerprint);

  /** Creates or replaces the alert state of {@code state.fingerprint()}. */
  void saveAlertState(AlertState state);

  /** The pull request of a fingerprint, if one was opened. */
  Optional<PullRequestState> pullRequestState(String fingerprint);

  /** Creates or replaces the pull request state of {@code state.fingerprint()}. */
  void savePullRequestState(PullRequestState state);

  /** Pull requests in a given status, ordered by fingerprint. */
  List<PullRequestState> pullRequests(PullRequestState.Status status);

  /** Forgets the pull request state of a fingerprint (nothing happens when there is none). */
  void deletePullRequestState(String fingerprint);
}
