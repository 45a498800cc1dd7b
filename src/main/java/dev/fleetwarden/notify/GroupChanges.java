package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.Finding;
import java.util.List;

/**
 * What one scan (or watch verdict) changed in a fleet-wide group message, as its thread reply tells
 * it: the clusters whose drift joined the group, and those that left it, back in sync or drifting
 * differently now ({@code left} findings with a {@code supersededBy}: told in their cluster's
 * incident from then on).
 */
public record GroupChanges(List<Finding> joined, List<Finding> left) {

  public GroupChanges {
    joined = List.copyOf(joined);
    left = List.copyOf(left);
  }

  public boolean isEmpty() {
    return joined.isEmpty() && left.isEmpty();
  }

  /** The clusters concerned, in a stable order (what makes a scan's reply its own). */
  String signature() {
    StringBuilder s = new StringBuilder();
    joined.forEach(f -> s.append('+').append(f.cluster()).append('/').append(f.fingerprint()));
    left.forEach(f -> s.append('-').append(f.cluster()).append('/').append(f.fingerprint()));
    return s.toString();
  }
}
