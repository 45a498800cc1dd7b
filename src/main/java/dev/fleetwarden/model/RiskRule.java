package dev.fleetwarden.model;

import java.util.List;
import java.util.Set;

/**
 * A risk rule: drift it matches is {@link Severity#CRITICAL}, with its {@code reason} shown in the
 * alert. Rules are data: the defaults ship in the jar ({@code
 * dev/fleetwarden/risk/default-rules.yaml}) and a fleet adds, replaces or turns them off in {@code
 * fleet.yaml} ({@code spec.drift.risk}).
 *
 * <p>What a rule matches:
 *
 * <ul>
 *   <li>objects: Kubernetes objects of the listed {@code kinds} ({@code Kind.group} as resource ids
 *       print them, {@code Kind} alone for the core group) or of the listed API {@code groups}; no
 *       kinds and no groups: every Kubernetes object. Or Terraform resources of the listed {@code
 *       resourceTypes} ({@code aws_security_group}).
 *   <li>{@code paths}: where in the object ({@link PathPattern}s; {@code *} is one segment, index
 *       or keyed item); none: the object as a whole (a deleted NetworkPolicy).
 *   <li>{@code desired} and {@code live}: tests of the values at such a position, which must differ
 *       (the drift changed them). A rule that gives {@code live} but no {@code desired} asks that
 *       the desired value does not pass {@code live}: the drift brought the property in.
 *   <li>{@code desiredObject}, {@code liveObject} (Kubernetes only): tests of the whole desired or
 *       live object ({@code liveObject: {path: /roleRef/name, equals: cluster-admin}}).
 * </ul>
 *
 * @param origin where the rule was written ({@code fleet.yaml:12}, or the default rules file), for
 *     messages
 */
public record RiskRule(
    String id,
    String reason,
    DriftSource source,
    Set<String> kinds,
    Set<String> groups,
    Set<String> resourceTypes,
    List<PathPattern> paths,
    ValuePredicate desired,
    ValuePredicate live,
    ValuePredicate desiredObject,
    ValuePredicate liveObject,
    String origin) {

  private static final ValuePredicate ALWAYS = new ValuePredicate.Always();

  public RiskRule {
    kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
    groups = groups == null ? Set.of() : Set.copyOf(groups);
    resourceTypes = resourceTypes == null ? Set.of() : Set.copyOf(resourceTypes);
    paths = paths == null ? List.of() : List.copyOf(paths);
    live = live == null ? ALWAYS : live;
    desired =
        desired == null
            ? (live instanceof ValuePredicate.Always ? ALWAYS : new ValuePredicate.Not(live))
            : desired;
    desiredObject = desiredObject == null ? ALWAYS : desiredObject;
    liveObject = liveObject == null ? ALWAYS : liveObject;
  }

  /** Whether the rule looks at this object or resource at all. */
  public boolean appliesTo(ResourceId id) {
    if (source == DriftSource.TERRAFORM) {
      return id.isTerraform() && resourceTypes.contains(terraformType(id.name()));
    }
    if (id.isTerraform()) {
      return false;
    }
    if (kinds.isEmpty() && groups.isEmpty()) {
      return true;
    }
    return kinds.contains(id.groupKind()) || groups.contains(id.group());
  }

  /** Whether the rule tests whole objects, which only Kubernetes drift carries. */
  public boolean needsObjects() {
    return !(desiredObject instanceof ValuePredicate.Always)
        || !(liveObject instanceof ValuePredicate.Always);
  }

  /**
   * The resource type of a Terraform address: {@code aws_s3_bucket} of {@code
   * module.a["x"].aws_s3_bucket.logs[0]}; {@code ""} for a data source or nothing recognisable.
   */
  public static String terraformType(String address) {
    String rest = address;
    while (rest.startsWith("module.")) {
      int dot = nextDot(rest, "module.".length());
      if (dot < 0) {
        return "";
      }
      rest = rest.substring(dot + 1);
    }
    if (rest.startsWith("data.")) {
      return "";
    }
    int dot = rest.indexOf('.');
    return dot <= 0 ? "" : rest.substring(0, dot);
  }

  /** The dot ending a module call name, skipping an index such as {@code ["a.b"]}. */
  private static int nextDot(String s, int from) {
    boolean quoted = false;
    int depth = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && c == '[') {
        depth++;
      } else if (!quoted && c == ']') {
        depth--;
      } else if (!quoted && depth == 0 && c == '.') {
        return i;
      }
    }
    return -1;
  }
}
