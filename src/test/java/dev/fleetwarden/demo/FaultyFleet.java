package dev.fleetwarden.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Embedded clusters ({@link EmbeddedFleet}) with fault switches, for tests: a cluster can be made
 * to answer every request with an error status, or to answer slowly.
 */
public final class FaultyFleet {
  private FaultyFleet() {}

  /** As {@link EmbeddedFleet#start}, every cluster with its fault switches off. */
  public static EmbeddedFleet start(Path kubeconfigFile, String... clusters) {
    EmbeddedFleet.Builder b =
        EmbeddedFleet.builder(kubeconfigFile).dispatchers(FaultyDispatcher::new);
    for (String c : clusters) {
      b.cluster(c);
    }
    return b.start();
  }

  /**
   * The cluster answers every request with this HTTP status (e.g. 401, 403, 500); 0 turns it off.
   */
  public static void failRequests(EmbeddedFleet fleet, String cluster, int httpStatus) {
    switches(fleet, cluster).forceStatus(httpStatus);
  }

  /**
   * The cluster answers every watch request with this HTTP status (e.g. 403 as RBAC without {@code
   * watch}, 503); lists and writes still work; 0 turns it off.
   */
  public static void failWatches(EmbeddedFleet fleet, String cluster, int httpStatus) {
    switches(fleet, cluster).forceWatchStatus(httpStatus);
  }

  /** Closes the cluster's open watch connections; returns how many were open. */
  public static int dropWatches(EmbeddedFleet fleet, String cluster) {
    return switches(fleet, cluster).dropWatches();
  }

  /**
   * The cluster answers the requests whose path starts with {@code pathPrefix} with this status.
   */
  public static void failRequests(
      EmbeddedFleet fleet, String cluster, int httpStatus, String pathPrefix) {
    switches(fleet, cluster).forceStatus(httpStatus, pathPrefix);
  }

  /** The cluster delays every response by this much; zero turns it off. */
  public static void delayResponses(EmbeddedFleet fleet, String cluster, Duration delay) {
    switches(fleet, cluster).delay(delay);
  }

  private static FaultyDispatcher switches(EmbeddedFleet fleet, String cluster) {
    if (fleet.dispatcher(cluster) instanceof FaultyDispatcher f) {
      return f;
    }
    throw new IllegalArgumentException(
        "cluster " + cluster + " has no fault switches: start the fleet with FaultyFleet.start");
  }
}
