package dev.fleetwarden.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The watch side of one cluster, as the status API and the metrics show it.
 *
 * @param state how changes are detected now
 * @param reason why the cluster is scan-only or unknown (null when watching)
 * @param since when the cluster entered this state
 * @param lastEventAt when the last watch event of the cluster arrived (null: none yet)
 * @param lastLag time from the API server's write (the newest {@code managedFields} time, else the
 *     arrival of the event) to the recorded verdict, for the last verdict (null: none yet)
 * @param objectsCached live objects held for the diff
 * @param bytesCached their size as held (trimmed JSON)
 * @param watches watch connections of the cluster (one per kind and namespace, plus one per
 *     namespaced kind for the ownership label)
 */
public record WatchStatus(
    WatchState state,
    String reason,
    Instant since,
    Instant lastEventAt,
    Duration lastLag,
    long objectsCached,
    long bytesCached,
    int watches) {

  public WatchStatus {
    Objects.requireNonNull(state, "state");
  }

  /** A cluster this node does not watch. */
  public static WatchStatus unknown(String reason) {
    return new WatchStatus(WatchState.UNKNOWN, reason, null, null, null, 0, 0, 0);
  }

  /** Bytes per cached object, rounded down (0 when nothing is cached). */
  public long bytesPerObject() {
    return objectsCached == 0 ? 0 : bytesCached / objectsCached;
  }

  /** This status with the lag of the latest verdict. */
  public WatchStatus withLastLag(Duration lag) {
    return new WatchStatus(
        state, reason, since, lastEventAt, lag, objectsCached, bytesCached, watches);
  }
}
