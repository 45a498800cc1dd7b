package dev.fleetwarden.reconcile;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ObjectDrift;
import java.util.List;

/**
 * Where a preview learns a cluster's live drift: the drift it has today and the drift it would have
 * against the head's desired state, from the same live state. Read from the clusters or kubectl
 * dumps ({@link ObservedDrift}), or from the open findings of the service's ledger ({@link
 * LedgerDrift}).
 */
public interface LiveComparison {

  /**
   * Both drifts of a cluster, or why they are unknown.
   *
   * @param today drift against the desired state of today (empty when unknown)
   * @param underHead drift against the head's desired state (empty when unknown)
   * @param unknownReason null when known
   */
  record Drifts(List<ObjectDrift> today, List<ObjectDrift> underHead, String unknownReason) {
    public Drifts {
      today = today == null ? List.of() : List.copyOf(today);
      underHead = underHead == null ? List.of() : List.copyOf(underHead);
    }

    public static Drifts unknown(String reason) {
      return new Drifts(List.of(), List.of(), reason);
    }
  }

  /**
   * Compares a cluster's live state with the desired state before and after a change. Never throws
   * for an unreachable cluster: returns {@link Drifts#unknown}.
   *
   * @param base the fleet before the change (null when it does not load)
   * @param baseRender the cluster's render before (null when the cluster is new or it failed)
   * @param head the fleet after the change
   * @param headRender the cluster's render after (never failed)
   */
  Drifts compare(
      String cluster, Fleet base, ClusterRender baseRender, Fleet head, ClusterRender headRender);
}
