package dev.fleetwarden.reconcile;

import dev.fleetwarden.ledger.Finding;
import java.util.List;
import java.util.Map;

/** Opens, updates and closes remediation pull requests for one cluster's drift. */
public interface Remediator {
  /**
   * Brings the pull requests of a cluster in line with its current drift ({@code complete} false
   * when the scan was not complete: nothing is closed then).
   *
   * @param open the cluster's open findings after the scan, as the ledger recorded them
   * @return the pull request URL per drift fingerprint, for the alerts
   */
  Map<String, String> reconcile(String cluster, boolean complete, List<Finding> open);
}
