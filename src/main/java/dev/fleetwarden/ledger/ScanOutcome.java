package dev.fleetwarden.ledger;

import dev.fleetwarden.model.ClusterStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one recorded scan changed in the drift ledger, as data so callers decide what to alert:
 * drifts seen for the first time ({@code newFindings}), drifts of a resource that changed value
 * ({@code changed}: the previous finding is resolved and superseded by the current one), drifts no
 * longer present ({@code resolved}) and drifts seen again unchanged ({@code stillOpen}). A scan of
 * an unreachable cluster has status {@link ClusterStatus#UNKNOWN}, no new/changed/resolved entries,
 * and lists the findings left open in {@code stillOpen}.
 */
public record ScanOutcome(
    String cluster,
    Instant at,
    ClusterStatus status,
    List<Finding> newFindings,
    List<Change> changed,
    List<Finding> resolved,
    List<Finding> stillOpen) {

  public ScanOutcome {
    newFindings = newFindings == null ? List.of() : List.copyOf(newFindings);
    changed = changed == null ? List.of() : List.copyOf(changed);
    resolved = resolved == null ? List.of() : List.copyOf(resolved);
    stillOpen = stillOpen == null ? List.of() : List.copyOf(stillOpen);
  }

  /** A resource whose drift changed: the finding it had and the one that replaced it. */
  public record Change(Finding previous, Finding current) {}

  /** True when something is new, changed or resolved (what alerts are about). */
  public boolean hasNews() {
    return !newFindings.isEmpty() || !changed.isEmpty() || !resolved.isEmpty();
  }

  /** Every finding open after this scan (new, changed and still open). */
  public List<Finding> open() {
    List<Finding> all = new ArrayList<>(newFindings);
    changed.forEach(c -> all.add(c.current()));
    all.addAll(stillOpen);
    return all;
  }
}
