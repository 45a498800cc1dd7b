package dev.fleetwarden.watch;

import java.util.Collection;
import java.util.Set;

/**
 * Which clusters this node watches, when several nodes run: each cluster is held by at most one
 * node at a time, and a dead node's clusters become free without its help (with PostgreSQL, a
 * session-level advisory lock per cluster on a connection of its own: the server releases it when
 * the connection dies). Thread-safe.
 */
public interface ClusterLeases extends AutoCloseable {

  /**
   * Tries to hold each of {@code wanted} and lets go of held clusters no longer wanted; never
   * blocks on another node.
   *
   * @return the clusters this node holds now (a subset of {@code wanted}); empty when the lease
   *     store cannot be reached (then every lease is given up: another node may take over)
   */
  Set<String> hold(Collection<String> wanted);

  /** Lets go of every cluster. */
  @Override
  void close();

  /** Every cluster is this node's: one node, nobody to share with. */
  static ClusterLeases single() {
    return new ClusterLeases() {
      @Override
      public Set<String> hold(Collection<String> wanted) {
        return Set.copyOf(wanted);
      }

      @Override
      public void close() {}
    };
  }
}
