package dev.fleetwarden.preview;

import java.util.List;

/**
 * What a change does to one cluster: its objects, its Terraform resources, and the live drift it
 * would overwrite or adopt.
 *
 * @param live why live state was not compared ({@code "not read"}, the reason it is unknown), or
 *     null when it was
 * @param note anything else a reader must know about this cluster (say, the base did not render),
 *     or null
 */
public record ClusterPreview(
    String name,
    List<ObjectChange> objects,
    List<ObjectChange> terraform,
    List<DriftOverwrite> overwritesDrift,
    List<DriftResolution> resolvesDrift,
    String live,
    String note) {

  public ClusterPreview {
    objects = objects == null ? List.of() : List.copyOf(objects);
    terraform = terraform == null ? List.of() : List.copyOf(terraform);
    overwritesDrift = overwritesDrift == null ? List.of() : List.copyOf(overwritesDrift);
    resolvesDrift = resolvesDrift == null ? List.of() : List.copyOf(resolvesDrift);
  }

  /** Whether the change touches this cluster's desired state (objects or Terraform). */
  public boolean changesDesiredState() {
    return !objects.isEmpty() || !terraform.isEmpty();
  }

  /** Whether there is anything to show. */
  public boolean isEmpty() {
    return !changesDesiredState()
        && overwritesDrift.isEmpty()
        && resolvesDrift.isEmpty()
        && note == null;
  }

  /** How many objects the change adds, removes or modifies. */
  public long count(Change change) {
    return objects.stream().filter(o -> o.change() == change).count();
  }
}
