package dev.fleetwarden.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.Kinds;
import dev.fleetwarden.model.PathPattern;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.RiskRule;
import dev.fleetwarden.model.ValuePredicate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads risk rules ({@link RiskRule}): the defaults shipped in the jar ({@value #DEFAULTS}) and a
 * fleet's {@code spec.drift.risk} in {@code fleet.yaml}, which may turn defaults off ({@code
 * defaults: false}, {@code disable: [id...]}), replace one (a rule with a default's id) or add
 * rules. Every problem is reported at its file and line.
 *
 * <p>Rules come from the fleet repo, so reading them is inert and bounded: the YAML goes through
 * {@link LocatedYaml} (no aliases, depth and size caps), predicates are a fixed vocabulary (no
 * regular expressions, no expressions, nothing that runs), and rules, paths, lists, predicate
 * nesting and texts are capped ({@value #MAX_RULES} rules, {@value #MAX_LIST} items per list,
 * nesting {@value #MAX_DEPTH}, reasons {@value #MAX_REASON} characters).
 */
public final class RiskRules {
  /** Classpath resource of the default rules. */
  public static final String DEFAULTS = "dev/fleetwarden/risk/default-rules.yaml";

  public static final int MAX_RULES = 500;
  public static final int MAX_LIST = 100;
  public static final int MAX_DEPTH = 8;
  public static final int MAX_REASON = 300;
  public static final int MAX_TEXT = 1000;

  private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final String[] RULE_KEYS = {
    "id",
    "reason",
    "kinds",
    "groups",
    "resourceTypes",
    "paths",
    "desired",
    "live",
    "desiredObject",
    "liveObject"
  };
  private static final String[] PREDICATE_KEYS = {
    "absent",
    "empty",
    "equals",
    "in",
    "startsWith",
    "endsWith",
    "path",
    "json",
    "not",
    "anyOf",
    "allOf"
  };

  private static volatile List<RiskRule> defaults;

  private RiskRules() {}

  /** The default rules, read once from the jar. */
  public static List<RiskRule> defaults() {
    List<RiskRule> d = defaults;
    if (d == null) {
      try {
        d = List.copyOf(read(DEFAULTS, resource()));
      } catch (FleetValidationException e) {
        throw new IllegalStateException("the default risk rules are broken: " + e.getMessage(), e);
      }
      defaults = d;
    }
    return d;
  }

  /** Rules from a YAML text whose top level holds {@code rules: [...]}. */
  public static List<RiskRule> read(String file, String yaml) throws FleetValidationException {
    LocatedYaml.Document doc = LocatedYaml.parse(file, yaml);
    List<FleetError> errors = new ArrayList<>();
    YamlObject top = new YamlObject(doc, "", errors).allow("rules");
    List<RiskRule> rules = rules(top, "rules", errors);
    if (!errors.isEmpty()) {
      throw new FleetValidationException(errors);
    }
    return rules;
  }

  /**
   * The rules a fleet runs with, from its {@code spec.drift.risk} (absent: the defaults). Problems
   * go to the loader's error list.
   */
  static List<RiskRule> effective(YamlObject risk, List<FleetError> errors) {
    if (!risk.present()) {
      return defaults();
    }
    risk.allow("defaults", "disable", "rules");
    if (!risk.isObject()) {
      return defaults();
    }
    Boolean useDefaults = risk.bool("defaults");
    Map<String, RiskRule> byId = new LinkedHashMap<>();
    if (useDefaults == null || useDefaults) {
      defaults().forEach(r -> byId.put(r.id(), r));
    }
    List<String> disable = risk.stringList("disable");
    if (disable != null) {
      for (int i = 0; i < disable.size(); i++) {
        String id = disable.get(i);
        if (defaults().stream().noneMatch(r -> r.id().equals(id))) {
          errors.add(
              risk.doc()
                  .error(
                      risk.path("disable") + "/" + i,
                      "no default risk rule '"
                          + Reflected.cap(id, 100)
                          + "'; the default rules are listed in the README (drift semantics)"));
        }
        byId.remove(id);
      }
    }
    Set<String> own = new LinkedHashSet<>();
    for (RiskRule rule : rules(risk, "rules", errors)) {
      if (!own.add(rule.id())) {
        continue; // reported by rules()
      }
      byId.put(rule.id(), rule); // a default of the same id is replaced in place
    }
    return List.copyOf(byId.values());
  }

  private static List<RiskRule> rules(YamlObject parent, String key, List<FleetError> errors) {
    List<YamlObject> entries = parent.objectList(key);
    if (entries.size() > MAX_RULES) {
      parent.error(key, "more than " + MAX_RULES + " risk rules; merge some of them");
      return List.of();
    }
    List<RiskRule> out = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (YamlObject entry : entries) {
      RiskRule rule = rule(entry, errors);
      if (rule == null) {
        continue;
      }
      if (!ids.add(rule.id())) {
        entry.error("id", "risk rule id '" + rule.id() + "' is used twice; ids must be unique");
        continue;
      }
      out.add(rule);
    }
    return out;
  }

  private static RiskRule rule(YamlObject r, List<FleetError> errors) {
    int before = errors.size();
    r.allow(RULE_KEYS);
    String id = r.text("id", true);
    if (id != null && !ID.matcher(id).matches()) {
      r.error(
          "id",
          "risk rule id '"
              + Reflected.cap(id, 100)
              + "' must be lower-case letters, digits and '-', at most 63 characters");
    }
    String reason = r.text("reason", true);
    if (reason != null && (reason.length() > MAX_REASON || hasControl(reason))) {
      r.error(
          "reason",
          "a reason is one line of at most " + MAX_REASON + " characters, shown in alerts");
    }
    List<String> kinds = strings(r, "kinds");
    List<String> groups = strings(r, "groups");
    List<String> types = strings(r, "resourceTypes");
    boolean terraform = types != null && !types.isEmpty();
    if (terraform
        && ((kinds != null && !kinds.isEmpty()) || (groups != null && !groups.isEmpty()))) {
      r.error(
          null,
          "a risk rule matches Kubernetes kinds/groups or Terraform resourceTypes, not both;"
              + " write two rules");
    }
    if (kinds != null) {
      for (int i = 0; i < kinds.size(); i++) {
        String kind = kinds.get(i);
        String group = kind.contains(".") ? null : Kinds.builtInGroup(kind);
        if (group != null && !group.isEmpty()) {
          errors.add(
              r.doc()
                  .error(
                      r.path("kinds") + "/" + i,
                      "'"
                          + kind
                          + "' is not a core kind; write it as resource ids do: "
                          + kind
                          + "."
                          + group));
        }
      }
    }
    List<PathPattern> paths = new ArrayList<>();
    List<String> pathTexts = strings(r, "paths");
    if (pathTexts != null) {
      if (pathTexts.isEmpty()) {
        r.error("paths", "'paths' is empty; leave it out to match the whole object");
      }
      for (int i = 0; i < pathTexts.size(); i++) {
        try {
          paths.add(PathPattern.parse(pathTexts.get(i)));
        } catch (IllegalArgumentException e) {
          errors.add(r.doc().error(r.path("paths") + "/" + i, e.getMessage()));
        }
      }
    }
    ValuePredicate desired = predicate(r, "desired", 0, errors);
    ValuePredicate live = predicate(r, "live", 0, errors);
    ValuePredicate desiredObject = predicate(r, "desiredObject", 0, errors);
    ValuePredicate liveObject = predicate(r, "liveObject", 0, errors);
    if (terraform && (desiredObject != null || liveObject != null)) {
      r.error(
          desiredObject != null ? "desiredObject" : "liveObject",
          "desiredObject and liveObject test whole Kubernetes objects; a Terraform drift carries"
              + " only the attributes that changed");
    }
    if (errors.size() > before || id == null || reason == null) {
      return null;
    }
    return new RiskRule(
        id,
        reason,
        terraform ? DriftSource.TERRAFORM : DriftSource.KUBERNETES,
        kinds == null ? null : Set.copyOf(kinds),
        groups == null ? null : Set.copyOf(groups),
        types == null ? null : Set.copyOf(types),
        paths,
        desired,
        live,
        desiredObject,
        liveObject,
        r.doc().file() + ":" + r.location().line());
  }

  private static List<String> strings(YamlObject r, String key) {
    List<String> list = r.stringList(key);
    if (list != null && list.size() > MAX_LIST) {
      r.error(key, "more than " + MAX_LIST + " items in '" + key + "'");
      return null;
    }
    if (list != null) {
      for (String s : list) {
        if (s.length() > MAX_TEXT) {
          r.error(key, "an item of '" + key + "' is longer than " + MAX_TEXT + " characters");
          return null;
        }
      }
    }
    return list;
  }

  /** The predicate at {@code parent/key}, null when absent. */
  private static ValuePredicate predicate(
      YamlObject parent, String key, int depth, List<FleetError> errors) {
    JsonNode node = parent.doc().root().at(parent.path(key));
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    return predicateAt(parent.doc(), parent.path(key), depth, errors);
  }

  private static ValuePredicate predicateAt(
      LocatedYaml.Document doc, String pointer, int depth, List<FleetError> errors) {
    JsonNode node = doc.root().at(pointer);
    if (depth >= MAX_DEPTH) {
      errors.add(doc.error(pointer, "predicates nest deeper than " + MAX_DEPTH + " levels"));
      return new ValuePredicate.Always();
    }
    if (!node.isObject()) {
      errors.add(
          doc.error(
              pointer,
              "a predicate is a mapping such as {equals: true}; keys: "
                  + String.join(", ", PREDICATE_KEYS)));
      return new ValuePredicate.Always();
    }
    YamlObject p = new YamlObject(doc, pointer, errors).allow(PREDICATE_KEYS);
    List<ValuePredicate> parts = new ArrayList<>();
    Iterator<String> keys = node.fieldNames();
    PathPattern path = null;
    while (keys.hasNext()) {
      String key = keys.next();
      JsonNode value = node.get(key);
      String at = p.path(key);
      switch (key) {
        case "absent", "empty" -> {
          Boolean b = p.bool(key);
          if (b != null) {
            parts.add(
                key.equals("absent") ? new ValuePredicate.Absent(b) : new ValuePredicate.Empty(b));
          }
        }
        case "equals" -> {
          if (checkLiteral(doc, at, value, errors)) {
            parts.add(new ValuePredicate.Equals(value));
          }
        }
        case "in" -> {
          if (!value.isArray() || value.isEmpty() || value.size() > MAX_LIST) {
            errors.add(doc.error(at, "'in' takes a list of 1 to " + MAX_LIST + " values"));
          } else if (checkLiteral(doc, at, value, errors)) {
            List<JsonNode> values = new ArrayList<>();
            value.forEach(values::add);
            parts.add(new ValuePredicate.In(values));
          }
        }
        case "startsWith", "endsWith" -> {
          String text = p.text(key, true);
          if (text != null && text.length() > MAX_TEXT) {
            errors.add(doc.error(at, "'" + key + "' is longer than " + MAX_TEXT + " characters"));
          } else if (text != null) {
            parts.add(
                key.equals("startsWith")
                    ? new ValuePredicate.StartsWith(text)
                    : new ValuePredicate.EndsWith(text));
          }
        }
        case "path" -> {
          String text = p.text(key, true);
          if (text != null) {
            try {
              path = PathPattern.parse(text);
            } catch (IllegalArgumentException e) {
              errors.add(doc.error(at, e.getMessage()));
            }
          }
        }
        case "json" -> parts.add(new ValuePredicate.Json(predicateAt(doc, at, depth + 1, errors)));
        case "not" -> parts.add(new ValuePredicate.Not(predicateAt(doc, at, depth + 1, errors)));
        case "anyOf", "allOf" -> {
          if (!value.isArray() || value.isEmpty() || value.size() > MAX_LIST) {
            errors.add(
                doc.error(at, "'" + key + "' takes a list of 1 to " + MAX_LIST + " predicates"));
          } else {
            List<ValuePredicate> options = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
              options.add(predicateAt(doc, at + "/" + i, depth + 1, errors));
            }
            parts.add(
                key.equals("anyOf")
                    ? new ValuePredicate.AnyOf(options)
                    : new ValuePredicate.AllOf(options));
          }
        }
        default -> {} // reported by allow()
      }
    }
    ValuePredicate all =
        parts.isEmpty()
            ? new ValuePredicate.Always()
            : parts.size() == 1 ? parts.get(0) : new ValuePredicate.AllOf(parts);
    return path == null ? all : new ValuePredicate.At(path, all);
  }

  /** A value to compare with: small, and not deeply nested. */
  private static boolean checkLiteral(
      LocatedYaml.Document doc, String pointer, JsonNode value, List<FleetError> errors) {
    if (value.toString().length() > MAX_TEXT) {
      errors.add(
          doc.error(pointer, "a value to compare with is longer than " + MAX_TEXT + " characters"));
      return false;
    }
    return true;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Reflected.isControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String resource() {
    try (InputStream in = RiskRules.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULTS + ": " + e.getMessage(), e);
    }
  }
}
