package dev.fleetwarden.ledger;

import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A finished scan to record. {@code scope} limits which open findings the scan can resolve: null
 * means the scan covered the whole cluster (Kubernetes and Terraform); {@link
 * DriftSource#KUBERNETES} means only Kubernetes findings were looked at, so Terraform findings stay
 * open, and the other way round. {@code resources}, when not null, limits it further to some
 * objects: the verdict of a watch event judges those objects only, and findings of other objects
 * stay as they are. Such a verdict is not a scan: it is not appended to the scan history.
 */
public record ScanInput(
    String cluster,
    DriftSource scope,
    Instant at,
    Duration duration,
    String revision,
    List<ObjectDrift> drifts,
    Set<ResourceId> resources) {

  public ScanInput {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(at, "at");
    duration = duration == null ? Duration.ZERO : duration;
    drifts = drifts == null ? List.of() : List.copyOf(drifts);
    resources = resources == null ? null : Set.copyOf(resources);
  }

  /** A scan of the whole scope. */
  public ScanInput(
      String cluster,
      DriftSource scope,
      Instant at,
      Duration duration,
      String revision,
      List<ObjectDrift> drifts) {
    this(cluster, scope, at, duration, revision, drifts, null);
  }

  /**
   * The Kubernetes verdict of some objects of a cluster (a watch event's): {@code drifts} holds
   * every drift of those objects, none of other objects.
   */
  public static ScanInput objects(
      String cluster,
      Set<ResourceId> resources,
      Instant at,
      String revision,
      List<ObjectDrift> drifts) {
    return new ScanInput(
        cluster, DriftSource.KUBERNETES, at, Duration.ZERO, revision, drifts, resources);
  }

  /** Whether this covers only some objects (not appended to the scan history). */
  public boolean isObjectVerdict() {
    return resources != null;
  }

  /** Whether a finding of this resource is judged by this scan. */
  public boolean covers(ResourceId resource) {
    return resources == null || resources.contains(resource);
  }

  /** The scope as stored in the scan history. */
  public String scopeLabel() {
    return scopeLabel(scope);
  }

  /**
   * How a scope is stored in the scan history: {@code all}, {@code kubernetes}, {@code terraform}.
   */
  public static String scopeLabel(DriftSource scope) {
    return scope == null ? "all" : scope.label();
  }
}
