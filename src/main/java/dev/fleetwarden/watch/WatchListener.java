package dev.fleetwarden.watch;

import dev.fleetwarden.model.ResourceId;
import java.time.Instant;

/**
 * Told what the watches of a cluster see. Called on the watches' threads: implementations return
 * quickly (queue the work) and never throw.
 */
public interface WatchListener {

  /**
   * An object of a watched cluster was added, changed or deleted, while the cluster is {@link
   * WatchState#WATCHING}. Also called for each object that differs after a relist (a watch that was
   * dropped and re-established, or a {@code 410 Gone}).
   *
   * @param id the object
   * @param serverTime when the API server wrote the change, when the object says so (the newest
   *     {@code managedFields} time); null otherwise
   */
  void changed(ResourceId id, Instant serverTime);

  /**
   * Every watch of the cluster is established and its cache is complete: from now on every change
   * is reported through {@link #changed}. Changes made before are not: judge the cached state as a
   * whole once. Called again after the cluster was scan-only and recovered, and after the watched
   * kinds changed.
   */
  void watching(String cluster);

  /**
   * The cluster cannot be watched now (RBAC forbids list or watch, the API server is unreachable,
   * no credentials): only scans detect its drift until {@link #watching} is called again.
   */
  void scanOnly(String cluster, String reason);
}
