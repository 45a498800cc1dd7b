package dev.fleetwarden.model;

import java.util.List;

/**
 * One drift shared by several clusters: the same object ({@code Kind.group/namespace/name}), the
 * same drift type, the same drifted paths and the same live values. {@code fingerprint} identifies
 * the group whatever clusters join or leave it; {@code managers} are the field managers that wrote
 * the drifted fields on any of them; {@code severity} is the worst of its members' (critical when a
 * risk rule matched one of them).
 */
public record DriftGroup(
    String fingerprint,
    String resource,
    DriftType type,
    Severity severity,
    List<String> paths,
    List<String> clusters,
    List<String> managers) {

  public DriftGroup {
    paths = List.copyOf(paths);
    clusters = List.copyOf(clusters);
    managers = List.copyOf(managers);
  }
}
