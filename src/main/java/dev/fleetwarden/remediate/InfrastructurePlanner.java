package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Decides how a pull request adopts cloud drift into the fleet repo: by editing the one input of
 * the cluster's {@code infrastructure} block (in its {@code cluster.yaml}) that the drifted
 * attribute comes from.
 *
 * <p>Candidates are the inputs whose value is the attribute's desired value. Each is checked by
 * re-synthesizing the cluster's stack from the edited file: the change is proposed only when the
 * synthesized Terraform configuration then differs from today's in exactly the drifted attributes
 * of the drifted resource, each now the live value. An input that also feeds other attributes (a
 * tag every resource carries, the region), a value no single input holds (a list of rules, an
 * attribute the stack computes), a resource deleted outside Terraform, a pending change, or a
 * sensitive value: alert only, with the reason.
 */
public final class InfrastructurePlanner {
  private static final String INFRASTRUCTURE = "/spec/infrastructure";
  private static final Pattern ROOT_ADDRESS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  private static final int LISTED = 5;

  private final StackRerender stacks;

  public InfrastructurePlanner(StackRerender stacks) {
    this.stacks = stacks;
  }

  /** The change set adopting the live values of Terraform drift {@code drift}, or why none. */
  public RemediationPlan plan(Path repoRoot, Fleet fleet, ObjectDrift drift) {
    ResourceId id = drift.resource();
    String refused = refusal(fleet, drift);
    if (refused != null) {
      return new AlertOnly(refused);
    }
    ClusterSpec cluster = fleet.clusters().get(id.cluster());
    String file = RepoPaths.normalize(cluster.file());
    String address = id.name();
    String type = address.substring(0, address.indexOf('.'));
    String name = address.substring(address.indexOf('.') + 1);
    try {
      String content = RepoFiles.read(repoRoot, file);
      JsonNode baseline = stacks.synthesize(inputs(cluster, content, file));
      JsonNode resource = baseline.path("resource").path(type).path(name);
      if (!resource.isObject()) {
        return new AlertOnly(
            "the stack of "
                + id.cluster()
                + " no longer defines "
                + address
                + "; nothing to adopt");
      }
      Map<String, JsonNode> liveAt = new LinkedHashMap<>(); // config pointer -> live value
      List<ChangeSet.Edit> edits = new ArrayList<>();
      String edited = content;
      for (FieldDrift f : drift.fields()) {
        if (JsonPointers.split(f.path()).stream().anyMatch(segment -> segment.contains("="))) {
          // An item of a list of blocks, named by its identity (a security group rule).
          return new AlertOnly(
              address
                  + " "
                  + f.path()
                  + " is an item of a list of rules or blocks; no single infrastructure input"
                  + " holds it");
        }
        String pointer = configPointer(resource, f.path());
        if (pointer == null) {
          return new AlertOnly(
              address + " " + f.path() + " is not set by the stack (the cloud computes it)");
        }
        Adoption adoption = adoption(f);
        if (adoption == null) {
          return new AlertOnly(
              address
                  + " "
                  + f.path()
                  + " is a list or block; no single infrastructure input holds it");
        }
        JsonNode configured = resource.at(pointer);
        if (!JsonValues.same(configured, f.desired())) {
          return new AlertOnly(
              "the fleet repo now synthesizes "
                  + address
                  + " "
                  + f.path()
                  + " differently from the scanned drift; wait for the next scan");
        }
        String prefix = "/resource/" + JsonPointers.escape(type) + "/" + JsonPointers.escape(name);
        Candidate chosen = null;
        String fanOut = null;
        for (String input : inputsHolding(cluster.infrastructure(), adoption.written())) {
          String candidate =
              YamlScalarEdit.replace(file, edited, 0, INFRASTRUCTURE + input, adoption.live());
          JsonNode synthesized = stacks.synthesize(inputs(cluster, candidate, file));
          Map<String, JsonNode> adopted = new LinkedHashMap<>(liveAt);
          adopted.put(prefix + pointer, f.live());
          if (!holdsLive(synthesized, adopted)) {
            continue;
          }
          List<String> beyond = beyond(baseline, synthesized, List.copyOf(adopted.keySet()));
          if (beyond.isEmpty()) {
            chosen = new Candidate(input, candidate);
            break;
          }
          if (fanOut == null) {
            fanOut =
                "infrastructure input `"
                    + input.substring(1)
                    + "` sets "
                    + address
                    + " "
                    + f.path()
                    + " but also "
                    + beyond.size()
                    + " other attribute(s) of the stack ("
                    + String.join(", ", beyond.subList(0, Math.min(LISTED, beyond.size())))
                    + (beyond.size() > LISTED ? ", ..." : "")
                    + "); adopting the live value there would change more than the drift, so"
                    + " change it by hand if that is intended";
          }
        }
        if (chosen == null && fanOut != null) {
          return new AlertOnly(fanOut);
        }
        if (chosen == null) {
          return new AlertOnly(
              "no input of the infrastructure block of "
                  + file
                  + " re-synthesizes "
                  + address
                  + " "
                  + f.path()
                  + " to the live value "
                  + Reflected.show(f.live()));
        }
        List<LocatedYaml.Document> docs = LocatedYaml.parseAll(file, edited);
        edits.add(
            new ChangeSet.Edit(
                file,
                YamlScalarEdit.lineOf(docs, 0, INFRASTRUCTURE + chosen.input()),
                INFRASTRUCTURE + chosen.input(),
                Reflected.show(adoption.written()),
                Reflected.show(adoption.live())));
        // The chosen edit was checked with every earlier edit in place: all drifted attributes so
        // far hold their live values and nothing else changed, so the last check covers them all.
        edited = chosen.content();
        liveAt.put(prefix + pointer, f.live());
      }
      TreeMap<String, String> files = new TreeMap<>(Map.of(file, edited));
      return new ChangeSet(
          ChangeSet.Strategy.INFRASTRUCTURE_EDIT,
          files,
          edits,
          explanation(drift, edits),
          List.of(id.cluster()),
          true);
    } catch (FleetValidationException | YamlScalarEdit.NotEditableException e) {
      return new AlertOnly(e.getMessage());
    } catch (StackRerender.StackException e) {
      return new AlertOnly(
          "the stack of " + id.cluster() + " does not synthesize: " + e.getMessage());
    }
  }

  private record Candidate(String input, String content) {}

  /** The value written in the input today and the one to write; null when not a single value. */
  private record Adoption(JsonNode written, JsonNode live) {}

  private static Adoption adoption(FieldDrift f) {
    JsonNode desired = f.desired();
    JsonNode live = f.live();
    if (desired == null || live == null) {
      return null;
    }
    if (desired.isValueNode() && !desired.isNull() && live.isValueNode() && !live.isNull()) {
      return new Adoption(desired, live);
    }
    // A list of one written from one input (instance types of a node group).
    if (desired.isArray()
        && live.isArray()
        && desired.size() == 1
        && live.size() == 1
        && desired.get(0).isValueNode()
        && live.get(0).isValueNode()) {
      return new Adoption(desired.get(0), live.get(0));
    }
    return null;
  }

  private static String refusal(Fleet fleet, ObjectDrift drift) {
    ResourceId id = drift.resource();
    if (drift.type() == DriftType.PENDING) {
      return "a pending change: the fleet repo is ahead of the cloud; apply it, nothing to adopt";
    }
    if (drift.type() != DriftType.MODIFIED) {
      return "a resource deleted outside Terraform needs a person to decide: re-create it with"
          + " terraform apply, or remove it from the cluster's infrastructure";
    }
    if (drift.fields().isEmpty()) {
      return "the drift names no attribute to adopt";
    }
    for (FieldDrift f : drift.fields()) {
      if (isMarker(f.desired()) || isMarker(f.live())) {
        return "sensitive or computed values are never written to the fleet repo ("
            + f.path()
            + ")";
      }
    }
    ClusterSpec cluster = fleet.clusters().get(id.cluster());
    if (cluster == null || !RepoPaths.isSafeSegment(id.cluster())) {
      return "cluster " + id.cluster() + " is not in the fleet repo";
    }
    if (cluster.infrastructure() == null || !cluster.infrastructure().isObject()) {
      return "cluster " + id.cluster() + " has no infrastructure block";
    }
    if (!ROOT_ADDRESS.matcher(id.name()).matches()) {
      return id.name() + " is not a single resource of the stack's root module";
    }
    return null;
  }

  private static boolean isMarker(JsonNode v) {
    return v != null
        && v.isTextual()
        && (v.asText().equals(FieldDrift.SENSITIVE)
            || v.asText().equals(FieldDrift.KNOWN_AFTER_APPLY));
  }

  /** The stack inputs from a {@code cluster.yaml} text. */
  private static StackInputs inputs(ClusterSpec cluster, String content, String file)
      throws FleetValidationException {
    JsonNode infra = LocatedYaml.parse(file, content).root().at(INFRASTRUCTURE);
    return StackInputs.from(
        cluster.name(),
        cluster.role() == ClusterSpec.Role.MANAGEMENT,
        cluster.environment(),
        infra);
  }

  /**
   * The pointer in the resource's configuration for a pointer into its state: Terraform JSON may
   * write a single nested block as an object where the state holds a list of one.
   */
  static String configPointer(JsonNode resource, String statePointer) {
    JsonNode node = resource;
    StringBuilder out = new StringBuilder();
    for (String segment : JsonPointers.split(statePointer)) {
      if (node.isArray()) {
        if (!segment.matches("\\d+") || Integer.parseInt(segment) >= node.size()) {
          return null;
        }
        node = node.get(Integer.parseInt(segment));
        out.append('/').append(segment);
      } else if (node.isObject() && node.has(segment)) {
        node = node.get(segment);
        out.append('/').append(JsonPointers.escape(segment));
      } else if (node.isObject() && segment.equals("0")) {
        continue;
      } else {
        return null;
      }
    }
    return out.toString();
  }

  /** Pointers (relative to the block) of the inputs whose scalar value is {@code value}. */
  private static List<String> inputsHolding(JsonNode infrastructure, JsonNode value) {
    List<String> out = new ArrayList<>();
    collect("", infrastructure, value, out);
    return out;
  }

  private static void collect(String at, JsonNode node, JsonNode value, List<String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        collect(at + "/" + JsonPointers.escape(e.getKey()), e.getValue(), value, out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(at + "/" + i, node.get(i), value, out);
      }
    } else if (JsonValues.same(node, value)) {
      out.add(at);
    }
  }

  /** Whether {@code config} holds each value at its pointer. */
  private static boolean holdsLive(JsonNode config, Map<String, JsonNode> values) {
    for (Map.Entry<String, JsonNode> v : values.entrySet()) {
      if (!JsonValues.same(config.at(v.getKey()), v.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Where {@code candidate} differs from {@code baseline} outside the {@code allowed} pointers. */
  private static List<String> beyond(JsonNode baseline, JsonNode candidate, List<String> allowed) {
    List<String> changed = new ArrayList<>();
    differences("", baseline, candidate, changed);
    return changed.stream()
        .filter(c -> allowed.stream().noneMatch(p -> c.equals(p) || c.startsWith(p + "/")))
        .toList();
  }

  /** Collects the pointers where two configurations differ (CDKTF's {@code //} notes aside). */
  private static void differences(String at, JsonNode a, JsonNode b, List<String> out) {
    if (a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        if (k.equals("//")) {
          continue;
        }
        differences(at + "/" + JsonPointers.escape(k), a.path(k), b.path(k), out);
      }
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        differences(at + "/" + i, a.get(i), b.get(i), out);
      }
    } else if (!a.equals(b)) {
      out.add(at);
    }
  }

  private static String explanation(ObjectDrift drift, List<ChangeSet.Edit> edits) {
    StringBuilder sb = new StringBuilder();
    for (ChangeSet.Edit e : edits) {
      sb.append(
          e.describe(
              "infrastructure input "
                  + RemediationPlanner.code(e.pointer().substring(INFRASTRUCTURE.length() + 1))));
    }
    sb.append("Re-synthesizing the stack of ")
        .append(RemediationPlanner.name(drift.resource().cluster()))
        .append(" with this change alters exactly ")
        .append(
            String.join(
                ", ", drift.fields().stream().map(f -> RemediationPlanner.code(f.path())).toList()))
        .append(" of ")
        .append(RemediationPlanner.code(drift.resource().name()))
        .append(
            ", to the live value: the next `terraform plan` of the cluster has nothing to"
                + " revert there.\n");
    return sb.toString();
  }
}
