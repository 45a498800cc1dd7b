package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.ScanOutcome;
import java.util.List;
import java.util.Map;

/**
 * What one scan (or watch verdict) changed in an incident, as its thread reply tells it: drifts
 * that joined it, drifts that changed value, and drifts that left it: back in sync, or now routed
 * to another channel ({@code movedTo}, by fingerprint), or now told in a fleet-wide group message
 * ({@code movedToGroup}: how the group is named, by fingerprint).
 */
public record IncidentChanges(
    List<Finding> joined,
    List<ScanOutcome.Change> changed,
    List<Finding> left,
    Map<String, String> movedTo,
    Map<String, String> movedToGroup) {

  public IncidentChanges {
    joined = List.copyOf(joined);
    changed = List.copyOf(changed);
    left = List.copyOf(left);
    movedTo = Map.copyOf(movedTo);
    movedToGroup = movedToGroup == null ? Map.of() : Map.copyOf(movedToGroup);
  }

  /** Changes of which nothing moved to a group message. */
  public IncidentChanges(
      List<Finding> joined,
      List<ScanOutcome.Change> changed,
      List<Finding> left,
      Map<String, String> movedTo) {
    this(joined, changed, left, movedTo, Map.of());
  }

  public boolean isEmpty() {
    return joined.isEmpty() && changed.isEmpty() && left.isEmpty();
  }

  /** The fingerprints concerned, in a stable order (what makes a scan's reply its own). */
  String signature() {
    StringBuilder s = new StringBuilder();
    joined.forEach(f -> s.append('+').append(f.fingerprint()));
    changed.forEach(
        c -> s.append('~').append(c.previous().fingerprint()).append(c.current().fingerprint()));
    left.forEach(f -> s.append('-').append(f.fingerprint()));
    return s.toString();
  }
}
