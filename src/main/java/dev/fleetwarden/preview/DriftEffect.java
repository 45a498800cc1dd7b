package dev.fleetwarden.preview;

import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What merging a change does to the live drift of one cluster, from two comparisons with the same
 * live state: the drift today (base, or the service's last render, against live) and the drift the
 * head would have (head against live).
 *
 * <ul>
 *   <li>Overwritten: a field drifted today that is still drifted under the head, in an object the
 *       change adds or modifies. Applying the object (what a GitOps tool does after the merge) sets
 *       the head's value over the live one. Objects the change leaves alone are not applied, so
 *       their drift is not listed.
 *   <li>Resolved (adopted): a field drifted today that the head, still wanting the object, no
 *       longer differs in; an object missing live that the head no longer wants; an orphan the head
 *       now wants as it is live.
 * </ul>
 *
 * Fields are matched by path; a field whose path moved (an item inserted before it in a list
 * compared by position) is matched by its live value and field manager. Only Kubernetes drift
 * counts. Pure.
 */
public final class DriftEffect {

  /** The overwritten and the adopted drift. */
  public record Effect(List<DriftOverwrite> overwrites, List<DriftResolution> resolutions) {
    public Effect {
      overwrites = List.copyOf(overwrites);
      resolutions = List.copyOf(resolutions);
    }
  }

  private DriftEffect() {}

  /**
   * @param touched the objects the change adds or modifies
   * @param headObjects every object the head wants in the cluster
   * @param today drift of the cluster today
   * @param underHead drift the cluster would have against the head's desired state
   */
  public static Effect of(
      Set<ResourceId> touched,
      Set<ResourceId> headObjects,
      List<ObjectDrift> today,
      List<ObjectDrift> underHead) {
    Map<ResourceId, ObjectDrift> head = new HashMap<>();
    for (ObjectDrift d : underHead) {
      if (d.source() == DriftSource.KUBERNETES) {
        head.put(d.resource(), d);
      }
    }
    List<DriftOverwrite> overwrites = new ArrayList<>();
    List<DriftResolution> resolutions = new ArrayList<>();
    for (ObjectDrift d : today) {
      if (d.source() != DriftSource.KUBERNETES) {
        continue;
      }
      ObjectDrift later = head.get(d.resource());
      boolean wanted = headObjects.contains(d.resource());
      switch (d.type()) {
        case MODIFIED -> {
          if (!wanted) {
            continue; // the head removes the object: nothing of it is adopted or set again
          }
          for (FieldDrift f : d.fields()) {
            FieldDrift still = later == null ? null : match(f, later);
            if (still == null) {
              resolutions.add(new DriftResolution(d.resource(), f.path()));
            } else if (touched.contains(d.resource())) {
              overwrites.add(
                  new DriftOverwrite(
                      d.resource(),
                      still.path(),
                      still.desired(),
                      still.live() != null ? still.live() : f.live(),
                      f.manager() != null ? f.manager() : still.manager(),
                      f.manager() != null ? f.time() : still.time()));
            }
          }
        }
        case MISSING -> {
          if (!wanted) {
            resolutions.add(new DriftResolution(d.resource(), ""));
          }
        }
        case ORPHAN -> {
          if (wanted && later == null) {
            resolutions.add(new DriftResolution(d.resource(), ""));
          }
        }
        default -> {}
      }
    }
    return new Effect(overwrites, resolutions);
  }

  /** The same field drifted under the head: same path, else same live value and manager. */
  private static FieldDrift match(FieldDrift today, ObjectDrift later) {
    if (later.type() != DriftType.MODIFIED) {
      return null;
    }
    for (FieldDrift f : later.fields()) {
      if (f.path().equals(today.path())) {
        return f;
      }
    }
    for (FieldDrift f : later.fields()) {
      if (today.live() != null
          && today.live().equals(f.live())
          && Objects.equals(today.manager(), f.manager())) {
        return f;
      }
    }
    return null;
  }
}
