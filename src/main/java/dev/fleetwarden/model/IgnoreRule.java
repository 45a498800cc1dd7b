package dev.fleetwarden.model;

import java.util.List;

/**
 * A drift ignore rule from an add-on or a cluster ({@code drift.ignore}). It matches objects by API
 * group, kind, namespace and name (null matches any; {@code name} may end with {@code *}) and then
 * ignores either the listed JSON pointers, or every field last written by one of the listed field
 * managers. A pointer segment may select a list element by key, e.g. {@code
 * /spec/template/spec/containers/name=app/image}, or any element with {@code *}.
 *
 * <p>The group is matched as Argo CD's {@code ignoreDifferences} matches it when it is given:
 * exactly ({@code ""} is the core group, {@code *} any group). A rule without a group matches its
 * kind in every group, so that rules written before fleetwarden knew groups ({@code kind:
 * Deployment}) keep matching.
 */
public record IgnoreRule(
    String group,
    String kind,
    String namespace,
    String name,
    List<String> pointers,
    List<String> managers) {

  /** The group that matches every group. */
  public static final String ANY = "*";

  public IgnoreRule {
    pointers = pointers == null ? List.of() : List.copyOf(pointers);
    managers = managers == null ? List.of() : List.copyOf(managers);
  }

  /** Whether this rule applies to the object. */
  public boolean matches(ResourceId id) {
    return (group == null || ANY.equals(group) || group.equals(id.group()))
        && (kind == null || ANY.equals(kind) || kind.equals(id.kind()))
        && (namespace == null || namespace.equals(id.namespace()))
        && (name == null
            || (name.endsWith("*")
                ? id.name().startsWith(name.substring(0, name.length() - 1))
                : name.equals(id.name())));
  }
}
