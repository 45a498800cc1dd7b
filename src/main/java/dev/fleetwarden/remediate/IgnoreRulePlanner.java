package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.ledger.DriftGroups;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ResourceId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns systemic controller noise into an ignore rule: when the same drift (a {@linkplain
 * DriftGroups group}) is on many clusters and every drifted field was last written by a controller
 * (a field manager that is not one of {@code fleet.yaml}'s human-operated ones), the fleet repo
 * should not pin that field, and the pull request adds a {@code drift.ignore} rule to the add-on's
 * {@code addon.yaml} instead of adopting the live value.
 *
 * <p>The rule is the narrowest that explains the evidence: scoped to the object (group, kind,
 * namespace, name), it names the one controller when one wrote every field ({@code managers:
 * [vpa-recommender]}: whatever that controller sets on the object later is its business), else the
 * drifted paths ({@code pointers: [...]}). It is kept only when, loaded from the edited {@code
 * addon.yaml}, it ignores every drifted field of every member and no field of any other open
 * finding of the fleet; a manager rule that would hide another finding falls back to the pointer
 * rule. Pure but for reading the fleet repo's files and a scratch copy to load the edited fleet.
 */
public final class IgnoreRulePlanner {
  /** {@code spec.drift.ignore} of an {@code addon.yaml}. */
  static final String RULES_POINTER = "/spec/drift/ignore";

  private final IgnoreCheck check;
  private final int minClusters;

  /**
   * @param check the drift engine's ignore matching
   * @param minClusters how many clusters a group needs (or all clusters running the add-on, when
   *     fewer run it)
   */
  public IgnoreRulePlanner(IgnoreCheck check, int minClusters) {
    this.check = check;
    this.minClusters = minClusters;
  }

  /** Which form of rule was chosen. */
  public enum Form {
    /** {@code managers: [<controller>]}: one controller wrote every drifted field. */
    MANAGER,
    /** {@code pointers: [...]}: the drifted paths. */
    POINTER
  }

  /**
   * An ignore rule to propose: the rule, its form, the add-on file and its new content; or, when
   * {@code rule} is null, why none is proposed ({@code reason}).
   */
  public record Proposal(
      IgnoreRule rule, Form form, String addon, String file, String content, String reason) {
    static Proposal none(String reason) {
      return new Proposal(null, null, null, null, null, reason);
    }

    public boolean proposed() {
      return rule != null;
    }
  }

  /**
   * Why a group is not controller noise to ignore, or null when it is: too few clusters, a drift
   * type other than {@code modified} or {@code added}, critical drift (a risk rule matched: a field
   * manager's name is what the client chose to send, so it proves nothing), a field without a
   * manager or written by a human-operated client.
   *
   * @param members the group's findings, one per cluster
   * @param running how many clusters run the add-on
   * @param humanManagers the human-operated field managers of the fleet
   */
  String notNoise(List<Finding> members, int running, Collection<String> humanManagers) {
    int needed = Math.max(2, Math.min(minClusters, running));
    if (members.size() < needed) {
      return "on " + members.size() + " of the " + needed + " clusters an ignore rule needs";
    }
    for (Finding m : members) {
      if (m.source() != DriftSource.KUBERNETES) {
        return "not Kubernetes drift";
      }
      if (m.type() != DriftType.MODIFIED && m.type() != DriftType.ADDED) {
        return "drift of type " + m.type().label();
      }
      if (m.drift().addon() == null) {
        return "the object belongs to no add-on";
      }
      if (!m.drift().risk().isEmpty()) {
        // a field manager is whatever name the client sent: critical drift is never waved through
        return m.cluster() + ": the drift is critical (" + m.drift().risk().get(0).rule() + ")";
      }
      for (FieldDrift f : m.drift().fields()) {
        if (f.path() == null || f.path().isEmpty()) {
          return "a whole object drifted";
        }
        if (f.manager() == null) {
          return m.cluster() + ": " + f.path() + " has no known field manager";
        }
        if (humanManagers.contains(f.manager())) {
          return m.cluster() + ": " + f.path() + " was written by a person";
        }
      }
    }
    return null;
  }

  /** The narrowest rule for the group: by its one controller, else by its paths. */
  static IgnoreRule choose(List<Finding> members) {
    Set<String> managers = managers(members);
    return managers.size() == 1 ? managerRule(members, managers) : pointerRule(members);
  }

  static Set<String> managers(List<Finding> members) {
    Set<String> managers = new TreeSet<>();
    for (Finding m : members) {
      m.drift().fields().forEach(f -> managers.add(f.manager()));
    }
    return managers;
  }

  private static IgnoreRule managerRule(List<Finding> members, Set<String> managers) {
    ResourceId id = members.get(0).resource();
    return new IgnoreRule(
        id.group(), id.kind(), id.namespaceOrNull(), id.name(), null, List.copyOf(managers));
  }

  private static IgnoreRule pointerRule(List<Finding> members) {
    ResourceId id = members.get(0).resource();
    Set<String> paths = new TreeSet<>();
    members.get(0).drift().fields().forEach(f -> paths.add(f.path()));
    return new IgnoreRule(
        id.group(), id.kind(), id.namespaceOrNull(), id.name(), List.copyOf(paths), null);
  }

  /** The rule as the YAML item written: keys in the order the README documents them. */
  static ObjectNode item(IgnoreRule rule) {
    ObjectNode item = JsonNodeFactory.instance.objectNode();
    if (rule.group() != null) {
      item.put("group", rule.group());
    }
    item.put("kind", rule.kind());
    if (rule.namespace() != null) {
      item.put("namespace", rule.namespace());
    }
    item.put("name", rule.name());
    if (!rule.pointers().isEmpty()) {
      rule.pointers().forEach(item.putArray("pointers")::add);
    }
    if (!rule.managers().isEmpty()) {
      rule.managers().forEach(item.putArray("managers")::add);
    }
    return item;
  }

  /**
   * The ignore rule to propose for a group, checked, or why there is none.
   *
   * @param repoRoot the base branch's checkout
   * @param fleet the fleet loaded from it
   * @param members the group's findings, one per cluster
   * @param fleetOpen every open finding of the fleet: none outside the group may become ignored
   */
  public Proposal plan(Path repoRoot, Fleet fleet, List<Finding> members, List<Finding> fleetOpen) {
    if (members.isEmpty()) {
      return Proposal.none("no cluster has the drift");
    }
    String addonName = members.get(0).drift().addon();
    AddonSpec addon = addonName == null ? null : fleet.addons().get(addonName);
    if (addon == null) {
      return Proposal.none("the object belongs to no add-on of the fleet repo");
    }
    Set<String> humans = new TreeSet<>(fleet.settings().humanManagers());
    String why = notNoise(members, fleet.clustersRunning(addonName).size(), humans);
    if (why != null) {
      return Proposal.none(why);
    }
    String content;
    try {
      content = RepoFiles.read(repoRoot, addon.file());
    } catch (FleetValidationException e) {
      return Proposal.none(addon.file() + " cannot be read: " + e.getMessage());
    }
    IgnoreRule first = choose(members);
    List<IgnoreRule> tries = new ArrayList<>(List.of(first));
    if (!first.managers().isEmpty()) {
      tries.add(pointerRule(members));
    }
    String gfp = DriftGroups.fingerprintOf(members.get(0).drift());
    String reason = null;
    for (IgnoreRule rule : tries) {
      String edited;
      try {
        edited =
            YamlListAppend.append(
                addon.file(), content, 0, RULES_POINTER, item(rule), comment(members, gfp));
      } catch (YamlScalarEdit.NotEditableException e) {
        return Proposal.none("the rule cannot be added to " + e.getMessage());
      }
      reason = verify(repoRoot, addon, edited, members, fleetOpen, gfp);
      if (reason == null) {
        Form form = rule.managers().isEmpty() ? Form.POINTER : Form.MANAGER;
        return new Proposal(rule, form, addonName, addon.file(), edited, null);
      }
    }
    return Proposal.none(reason);
  }

  /**
   * Null when the add-on's rules loaded from the edited file ignore every field of every member and
   * no field of another open finding of the fleet; else what goes wrong.
   */
  private String verify(
      Path repoRoot,
      AddonSpec addon,
      String edited,
      List<Finding> members,
      List<Finding> fleetOpen,
      String gfp) {
    List<IgnoreRule> rules;
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("fleetwarden-ignore-");
      RemediationPlanner.copyTree(repoRoot, scratch);
      Path file = RepoPaths.resolve(scratch, addon.file());
      Files.writeString(file, edited, StandardCharsets.UTF_8);
      AddonSpec loaded = FleetLoader.load(scratch).addons().get(addon.name());
      if (loaded == null) {
        return "the edited " + addon.file() + " no longer defines add-on " + addon.name();
      }
      rules = loaded.ignore();
    } catch (FleetValidationException e) {
      return "the fleet repo does not load with the rule: " + e.getMessage();
    } catch (IOException e) {
      return "the fleet repo could not be copied to check the rule: " + e.getMessage();
    } finally {
      if (scratch != null) {
        RemediationPlanner.deleteTree(scratch);
      }
    }
    for (Finding m : members) {
      for (FieldDrift f : m.drift().fields()) {
        if (!check.ignores(rules, m.resource(), f)) {
          return m.cluster() + ": the rule does not ignore " + f.path();
        }
      }
    }
    for (Finding other : fleetOpen) {
      if (!other.isOpen()
          || other.source() != DriftSource.KUBERNETES
          || !addon.name().equals(other.drift().addon())
          || gfp.equals(DriftGroups.fingerprintOf(other.drift()))) {
        continue;
      }
      for (FieldDrift f : other.drift().fields()) {
        if (check.ignores(rules, other.resource(), f)) {
          return "the rule would also hide "
              + f.path()
              + " of "
              + other.resource()
              + ", which is not the same drift";
        }
      }
    }
    return null;
  }

  /** The comment above the new rule: who writes the field, on how many clusters. */
  private static String comment(List<Finding> members, String gfp) {
    Set<String> managers = managers(members);
    String who =
        managers.stream().allMatch(m -> m.matches("[A-Za-z0-9._:/@-]{1,100}"))
            ? String.join(", ", managers)
            : "controllers";
    return "Written by "
        + who
        + " on "
        + members.size()
        + " clusters: controller-owned, not drift (fleetwarden drift group "
        + gfp.substring(0, Math.min(RemediationPlanner.SHORT_FINGERPRINT, gfp.length()))
        + ").";
  }
}
