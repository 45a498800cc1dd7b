package dev.fleetwarden.remediate;

import dev.fleetwarden.model.MarkdownText;
import dev.fleetwarden.model.Reflected;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files a remediation pull request writes: repo-relative path to the new full content, how the
 * change was chosen ({@link Strategy}; {@link Strategy#MIXED} when its fields went to different
 * places), the single-value edits it makes (none for a new patch file), a human explanation, the
 * clusters whose desired state the change touches (blast radius), and where each drifted field went
 * ({@link Adoption}, empty when the planner does not say per field).
 */
public record ChangeSet(
    Strategy strategy,
    SortedMap<String, String> files,
    List<Edit> edits,
    String explanation,
    List<String> affectedClusters,
    boolean verified,
    List<Adoption> adoptions)
    implements RemediationPlan {

  public ChangeSet {
    TreeMap<String, String> checked = new TreeMap<>();
    files.forEach((path, content) -> checked.put(RepoPaths.normalize(path), content));
    files = java.util.Collections.unmodifiableSortedMap(checked);
    edits = List.copyOf(edits);
    affectedClusters = List.copyOf(affectedClusters);
    adoptions = List.copyOf(adoptions);
  }

  /** A change set that does not say where each field went. */
  public ChangeSet(
      Strategy strategy,
      SortedMap<String, String> files,
      List<Edit> edits,
      String explanation,
      List<String> affectedClusters,
      boolean verified) {
    this(strategy, files, edits, explanation, affectedClusters, verified, List.of());
  }

  /**
   * How the live values are adopted, in a word or a few: {@code value}, {@code patch}, {@code
   * manifest + value + patch}.
   */
  public String how() {
    if (adoptions.isEmpty()) {
      return strategy.label();
    }
    return String.join(
        " + ",
        adoptions.stream()
            .map(Adoption::strategy)
            .distinct()
            .sorted()
            .map(Strategy::label)
            .toList());
  }

  /**
   * Where one drifted field's live value goes: the field's drift path, the kind of place, the
   * repo-relative file and 1-based line written, and the JSON pointer of the value inside that file
   * ({@code /image/tag} for a tag edited for a composed image field).
   */
  public record Adoption(String path, Strategy strategy, String file, int line, String pointer) {}

  /** How the live value is adopted. */
  public enum Strategy {
    /** A plain manifest file of an add-on, edited in place (shared by every cluster running it). */
    MANIFEST_EDIT("manifest"),
    /** The values file (or patch file) line that produced the field, edited in place. */
    VALUE_EDIT("value"),
    /**
     * A new per-cluster patch file holding the live values of the drifted fields (list items by
     * key).
     */
    PATCH_FILE("patch"),
    /**
     * One input of the cluster's {@code infrastructure} block, edited in place in its {@code
     * cluster.yaml} (Terraform drift).
     */
    INFRASTRUCTURE_EDIT("infrastructure"),
    /** The fields of one drift went to different places ({@link ChangeSet#adoptions()}). */
    MIXED("mixed");

    private final String label;

    Strategy(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One scalar changed in place: file, 1-based line, JSON pointer inside the file's document, and
   * the old and new values as printed.
   */
  public record Edit(String file, int line, String pointer, String from, String to) {
    /**
     * One markdown line for a pull request: {@code Sets <what> in <file> line N from a to b.}, the
     * file and both values as escaped code spans.
     *
     * @param what markdown the caller escaped
     */
    public String describe(String what) {
      return "Sets "
          + what
          + " in "
          + MarkdownText.code(Reflected.cap(file, Reflected.NAME))
          + " line "
          + line
          + " from "
          + MarkdownText.code(Reflected.cap(from))
          + " to the live "
          + MarkdownText.code(Reflected.cap(to))
          + ".\n";
    }
  }
}
