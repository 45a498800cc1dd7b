package dev.fleetwarden.kube;

/**
 * Something the reader noticed while reading a cluster that is neither an object nor a failure of
 * the whole read, e.g. a kind the cluster does not serve. The message is for people.
 *
 * @param kind the resource type concerned
 * @param namespace the namespace of the list call, or null for a cluster-wide one
 * @param message what happened and what it means
 */
public record LiveFinding(ApiKind kind, String namespace, String message) {
  @Override
  public String toString() {
    return message;
  }
}
