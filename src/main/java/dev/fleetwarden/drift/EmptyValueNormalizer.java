package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Set;

/**
 * Desired {@code {}}, {@code []}, {@code null} or {@code ""}, or a zero value ({@code 0}, {@code
 * false}), against a field the live object lacks is not drift: the API server drops empty and zero
 * values of fields marked {@code omitempty} (Go's zero values), so Git writing one is in sync with
 * the server storing nothing. A change away from the zero value still shows: the live object then
 * holds the field. Pointer fields are the exception ({@link #POINTER_FIELDS}).
 */
final class EmptyValueNormalizer implements Normalizer {
  /**
   * Fields the API declares as pointers ({@code *bool}, {@code *int32}, {@code *int64} in
   * k8s.io/api): the server stores their zero value, so a live object without one had it removed.
   * Most of them are security settings, where {@code false} and "unset" mean different things
   * ({@code allowPrivilegeEscalation} defaults to allowing).
   */
  private static final Set<String> POINTER_FIELDS =
      Set.of(
          "privileged",
          "allowPrivilegeEscalation",
          "runAsNonRoot",
          "readOnlyRootFilesystem",
          "runAsUser",
          "runAsGroup",
          "fsGroup",
          "automountServiceAccountToken",
          "hostUsers",
          "shareProcessNamespace",
          "setHostnameAsFQDN",
          "enableServiceLinks",
          "allocateLoadBalancerNodePorts",
          "replicas",
          "suspend",
          "activeDeadlineSeconds",
          "backoffLimit",
          "parallelism",
          "completions",
          "ttlSecondsAfterFinished",
          "terminationGracePeriodSeconds",
          "progressDeadlineSeconds",
          "revisionHistoryLimit",
          "minAvailable",
          "maxUnavailable",
          "optional",
          "defaultMode");

  @Override
  public boolean same(FieldPath path, JsonNode desired, JsonNode live, JsonNode desiredParent) {
    if (live != null && !live.isNull()) {
      return false;
    }
    return isEmpty(desired) || (isZero(desired) && !POINTER_FIELDS.contains(path.fromEnd(0)));
  }

  /** {@code 0} (any numeric spelling) or {@code false}. */
  static boolean isZero(JsonNode value) {
    return value != null
        && ((value.isNumber() && value.decimalValue().signum() == 0)
            || (value.isBoolean() && !value.booleanValue()));
  }

  static boolean isEmpty(JsonNode value) {
    // type tests rather than JsonNode's virtual predicates: this runs on every field of every
    // object, most of them strings
    if (value instanceof TextNode text) {
      return text.textValue().isEmpty();
    }
    if (value instanceof ContainerNode<?> container) {
      return container.size() == 0;
    }
    return value == null || value instanceof NullNode || value instanceof MissingNode;
  }
}
