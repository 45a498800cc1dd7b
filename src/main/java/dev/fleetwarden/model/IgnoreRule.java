package dev.fleetwarden.model;

import java.util.List;

/**
 * A drift ignore rule from an add-on or a cluster ({@code drift.ignore}). It matches objects by
 * kind, namespace and name (null matches any; {@code name} may end with {@code *}) and then ignores
 * either the listed JSON pointers, or every field last written by one of the listed field managers.
 * A pointer segment may select a list element by key, e.g. {@code
 * /spec/template/spec/containers/name=app/image}, or any element with {@code *}.
 */
public record IgnoreRule(
    String kind, String namespace, String name, List<String> pointers, List<String> managers) {
  public IgnoreRule {
    pointers = pointers == null ? List.of() : List.copyOf(pointers);
    managers = managers == null ? List.of() : List.copyOf(managers);
  }

  /** Whether this rule applies to the object. */
  public boolean matches(ResourceId id) {
    return (kind == null || kind.equals(id.kind()))
        && (namespace == null || namespace.equals(id.namespace()))
        && (name == null
            || (name.endsWith("*")
                ? id.name().startsWith(name.substring(0, name.length() - 1))
                : name.equals(id.name())));
  }
}
