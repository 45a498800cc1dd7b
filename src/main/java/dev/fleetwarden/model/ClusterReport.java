package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The drift report of one cluster. {@code status} sums up both halves: render-error wins, then
 * drifted, then unknown, then in-sync. An unknown half never hides drift found in the other.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterReport(
    String name,
    ClusterStatus status,
    @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
    List<ObjectDrift> drifts,
    PartStatus kubernetes,
    PartStatus terraform) {

  public ClusterReport {
    List<ObjectDrift> sorted = new ArrayList<>(drifts == null ? List.of() : drifts);
    sorted.sort(Comparator.comparing(ObjectDrift::resource));
    drifts = List.copyOf(sorted);
  }

  /** A cluster whose desired state could not be rendered: nothing is compared. */
  public static ClusterReport renderError(String name, RenderError error) {
    return new ClusterReport(
        name, ClusterStatus.RENDER_ERROR, error.toString(), List.of(), null, null);
  }

  /** Combines the Kubernetes and Terraform halves into one report. */
  public static ClusterReport combine(
      String name, PartStatus kubernetes, PartStatus terraform, List<ObjectDrift> drifts) {
    ClusterStatus status = ClusterStatus.IN_SYNC;
    String reason = null;
    boolean drifted = drifts != null && !drifts.isEmpty();
    for (PartStatus part : new PartStatus[] {kubernetes, terraform}) {
      if (part == null || part.status() == null) {
        continue;
      }
      if (part.status() == ClusterStatus.RENDER_ERROR) {
        status = ClusterStatus.RENDER_ERROR;
        reason = part.reason();
      } else if (part.status() == ClusterStatus.UNKNOWN && status != ClusterStatus.RENDER_ERROR) {
        if (status != ClusterStatus.UNKNOWN) {
          reason = part.reason();
        }
        status = ClusterStatus.UNKNOWN;
      }
    }
    if (drifted && status != ClusterStatus.RENDER_ERROR) {
      status = ClusterStatus.DRIFTED;
    }
    return new ClusterReport(name, status, reason, drifts, kubernetes, terraform);
  }

  /** The worst severity over all drifts; UNKNOWN when the cluster could not be judged. */
  @JsonProperty("severity")
  public Severity severity() {
    if (status == ClusterStatus.UNKNOWN || status == ClusterStatus.RENDER_ERROR) {
      return drifts.stream().map(ObjectDrift::severity).reduce(Severity.UNKNOWN, Severity::max);
    }
    return drifts.stream().map(ObjectDrift::severity).reduce(Severity.IN_SYNC, Severity::max);
  }
}
