package dev.fleetwarden.reconcile;

import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.remediate.PrOutcome;
import java.util.List;
import java.util.Map;

/** Opens, updates and closes remediation pull requests for one cluster's drift. */
public interface Remediator {
  /**
   * Brings the pull requests of a cluster in line with its current drift ({@code complete} false
   * when the scan was not complete: nothing is closed then).
   *
   * @param open the cluster's open findings (both halves), as the ledger recorded them
   * @param fleetOpen the open findings of the whole fleet: a drift several clusters share gets one
   *     pull request for all of them
   */
  Result reconcile(String cluster, boolean complete, List<Finding> open, List<Finding> fleetOpen);

  /**
   * What was done: the pull request URL per drift fingerprint (for the alerts), and one outcome per
   * drift or pull request touched.
   */
  record Result(Map<String, String> urls, List<PrOutcome> outcomes) {
    public static final Result NONE = new Result(Map.of(), List.of());
  }
}
