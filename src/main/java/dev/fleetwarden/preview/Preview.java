package dev.fleetwarden.preview;

import dev.fleetwarden.fleet.FleetError;
import java.util.List;

/**
 * The blast radius of a change from {@code base} to {@code head} (commit ids): whether the head is
 * valid (else every problem with its file and line), and per affected cluster what changes.
 *
 * @param affected how many clusters the changed files reach (some may render the same as before)
 */
public record Preview(
    String base,
    String head,
    boolean valid,
    List<FleetError> errors,
    List<ClusterPreview> clusters,
    int affected) {

  public Preview {
    errors = errors == null ? List.of() : List.copyOf(errors);
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
  }

  /** A head that does not load: nothing else is known. */
  public static Preview invalid(String base, String head, List<FleetError> errors) {
    return new Preview(base, head, false, errors, List.of(), 0);
  }

  /** 1 when the head is invalid, 2 when some cluster's desired state changes, else 0. */
  public int exitCode() {
    if (!valid) {
      return 1;
    }
    return clusters.stream().anyMatch(ClusterPreview::changesDesiredState) ? 2 : 0;
  }

  /** The clusters whose desired state changes. */
  public List<ClusterPreview> changed() {
    return clusters.stream().filter(ClusterPreview::changesDesiredState).toList();
  }

  /** How many live fields merging would revert, over every cluster. */
  public int overwrites() {
    return clusters.stream().mapToInt(c -> c.overwritesDrift().size()).sum();
  }

  /** How many drifted fields or objects merging would adopt, over every cluster. */
  public int resolutions() {
    return clusters.stream().mapToInt(c -> c.resolvesDrift().size()).sum();
  }
}
