package dev.fleetwarden.notify;

import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything an alert message of one drift fingerprint shows.
 *
 * @param mention who to mention while the drift is open (null: nobody)
 * @param drifts the drifted objects (usually one)
 * @param since when the drift was first seen
 * @param resolvedAt when the drift resolved; null while it is open
 */
public record AlertContent(
    String cluster,
    String environment,
    String fingerprint,
    String mention,
    List<ObjectDrift> drifts,
    Instant since,
    Instant resolvedAt,
    AlertLinks links) {

  public AlertContent {
    Objects.requireNonNull(cluster, "cluster");
    drifts = List.copyOf(drifts);
    links = links == null ? AlertLinks.NONE : links;
  }

  public boolean resolved() {
    return resolvedAt != null;
  }

  /** The worst severity of the drifted objects. */
  public Severity severity() {
    return drifts.stream().map(ObjectDrift::severity).reduce(Severity.IN_SYNC, Severity::max);
  }

  /** The same alert, resolved at the given time. */
  public AlertContent resolvedAt(Instant at) {
    return new AlertContent(cluster, environment, fingerprint, mention, drifts, since, at, links);
  }
}
