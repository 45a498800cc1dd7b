package dev.fleetwarden.ledger;

import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.ObjectDrift;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A finished scan to record. {@code scope} limits which open findings the scan can resolve: null
 * means the scan covered the whole cluster (Kubernetes and Terraform); {@link
 * DriftSource#KUBERNETES} means only Kubernetes findings were looked at, so Terraform findings stay
 * open, and the other way round.
 */
public record ScanInput(
    String cluster,
    DriftSource scope,
    Instant at,
    Duration duration,
    String revision,
    List<ObjectDrift> drifts) {

  public ScanInput {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(at, "at");
    duration = duration == null ? Duration.ZERO : duration;
    drifts = drifts == null ? List.of() : List.copyOf(drifts);
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
