package dev.fleetwarden.notify;

import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Severity;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an alert message shows: the open drifts of an incident (one cluster's drift routed to
 * one channel), or, once the last of them resolved, the incident as resolved.
 *
 * @param key the message's key in the alert states (an incident key, see {@link
 *     AlertPlanner#incidentKey})
 * @param mention who to mention while the incident is open (null: nobody)
 * @param drifts the drifted objects the message lists, worst first
 * @param pullRequests the remediation pull request of each object that has one
 * @param since when the oldest drift shown was first seen (when resolved: when the incident opened)
 * @param resolvedAt when the incident resolved; null while it is open
 */
public record AlertContent(
    String cluster,
    String environment,
    String key,
    String mention,
    List<ObjectDrift> drifts,
    Map<ResourceId, String> pullRequests,
    Instant since,
    Instant resolvedAt,
    AlertLinks links) {

  public AlertContent {
    Objects.requireNonNull(cluster, "cluster");
    drifts = List.copyOf(drifts);
    Map<ResourceId, String> prs = new HashMap<>();
    if (pullRequests != null) {
      pullRequests.forEach(
          (id, url) -> {
            if (url != null) {
              prs.put(id, url);
            }
          });
    }
    pullRequests = Map.copyOf(prs);
    links = links == null ? AlertLinks.NONE : links;
  }

  /** Content without pull requests per object (the links may name one for the whole message). */
  public AlertContent(
      String cluster,
      String environment,
      String key,
      String mention,
      List<ObjectDrift> drifts,
      Instant since,
      Instant resolvedAt,
      AlertLinks links) {
    this(cluster, environment, key, mention, drifts, Map.of(), since, resolvedAt, links);
  }

  public boolean resolved() {
    return resolvedAt != null;
  }

  /** The worst severity of the drifted objects. */
  public Severity severity() {
    return drifts.stream().map(ObjectDrift::severity).reduce(Severity.IN_SYNC, Severity::max);
  }

  /** The same message, resolved at the given time. */
  public AlertContent resolvedAt(Instant at) {
    return new AlertContent(
        cluster, environment, key, mention, drifts, pullRequests, since, at, links);
  }

  /** The pull request of an object, or null. */
  public String pullRequest(ResourceId id) {
    return pullRequests.get(id);
  }
}
