package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.KeyedPaths;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Ownership;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.SchemaNode;
import dev.fleetwarden.model.ValueOrigin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The drift engine: compares a cluster's desired objects with its live objects and returns the
 * objects that differ, sorted by resource id. Pure: no client calls, no clock, no logging.
 *
 * <ul>
 *   <li>{@link DriftType#MODIFIED}: live differs in a field desired sets, after normalization
 *       (quantities, scalar types, server defaults, empty values, keyed lists) and ignore rules.
 *   <li>{@link DriftType#MISSING}: desired, not live.
 *   <li>{@link DriftType#ORPHAN}: live, not desired any more, and either in the previous render or
 *       carrying the ownership label {@value Ownership#LABEL}.
 * </ul>
 *
 * Secret content never leaves the diff: drifted keys are reported as {@code /data/<key>} with keyed
 * hashes, and any drifted map or list of a Secret by path and hash (see {@link SecretData}). The
 * {@code kubectl.kubernetes.io/last-applied-configuration} annotation is removed from both sides
 * before comparing, for every kind.
 */
public final class Differ {
  /** Hashes Secret values, those a person added included. */
  private final SecretHasher hasher;

  private final SecretData secrets;

  /**
   * @param hasher the keyed hash of Secret values (the installation's key, so that fingerprints
   *     stay stable across runs and nodes)
   */
  public Differ(SecretHasher hasher) {
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.secrets = new SecretData(hasher);
  }

  /** The differences of one cluster, sorted by resource id; in-sync objects are not listed. */
  public List<ObjectDrift> diff(DiffInput in) {
    LiveObjects live = new LiveObjects(in.cluster(), in.live());
    HumanEdits humans = new HumanEdits(in.humanManagers());
    List<ObjectDrift> out = new ArrayList<>();
    for (DesiredObject desired : in.desired()) {
      ResourceId id = desired.id().inCluster(in.cluster());
      ObjectDrift drift =
          compare(
              in.cluster(),
              desired,
              live.claim(id, desired.apiVersion()),
              rulesFor(in, desired.addon()),
              in.types(),
              humans);
      if (drift != null) {
        out.add(drift);
      }
    }
    out.addAll(new LiveOnly(in, live, humans).drifts());
    out.sort((a, b) -> a.resource().compareTo(b.resource()));
    return out;
  }

  /**
   * The difference of one object, or null when it is in sync.
   *
   * @param live the live object, or null when it does not exist (then the result is MISSING)
   * @param rules ignore rules to apply (those that do not match the object are skipped)
   */
  public ObjectDrift compare(
      String cluster, DesiredObject desired, JsonNode live, List<IgnoreRule> rules) {
    return compare(cluster, desired, live, rules, ApiTypes.builtIn());
  }

  /**
   * The difference of one object, its lists matched by the schema {@code types} hold for its kind
   * and version, or null when it is in sync.
   */
  public ObjectDrift compare(
      String cluster,
      DesiredObject desired,
      JsonNode live,
      List<IgnoreRule> rules,
      ApiTypes types) {
    return compare(
        cluster, desired, live, rules, types, new HumanEdits(DiffInput.DEFAULT_HUMAN_MANAGERS));
  }

  private ObjectDrift compare(
      String cluster,
      DesiredObject desired,
      JsonNode live,
      List<IgnoreRule> rules,
      ApiTypes types,
      HumanEdits humans) {
    ResourceId id = desired.id().inCluster(cluster);
    Provenance provenance = desired.provenance();
    String file = provenance == null ? null : provenance.sourceFile();
    if (live == null) {
      return new ObjectDrift(
          id, desired.addon(), DriftSource.KUBERNETES, DriftType.MISSING, file, List.of());
    }
    JsonNode desiredObject = LastApplied.strip(desired.manifest());
    JsonNode liveObject = LastApplied.visited(desiredObject) ? LastApplied.strip(live) : live;
    List<RawDrift> raw =
        findDifferences(
            id, types.schema(desired.apiVersion(), id.kind()), desiredObject, liveObject);
    List<HumanEdits.Added> added = humans.find(id.kind(), id.group(), desiredObject, live);
    if (raw.isEmpty() && added.isEmpty()) {
      return null;
    }
    IgnoreMatcher ignore = IgnoreMatcher.forObject(id, rules);
    List<FieldDrift> fields =
        raw.isEmpty()
            ? new ArrayList<>()
            : attributeAndFilter(raw, desired, liveObject, ignore, humans);
    boolean modified = !fields.isEmpty();
    for (HumanEdits.Added a : added) {
      if (!ignore.ignores(a.path(), a.manager(), desired.manifest())) {
        fields.add(new FieldDrift(a.path(), null, maskAdded(id, a), a.manager(), a.time(), null));
      }
    }
    if (fields.isEmpty()) {
      return null;
    }
    DriftType type = modified ? DriftType.MODIFIED : DriftType.ADDED;
    return new ObjectDrift(id, desired.addon(), DriftSource.KUBERNETES, type, file, fields);
  }

  /** A Secret's added value is shown as a keyed hash, like every other Secret value. */
  private JsonNode maskAdded(ResourceId id, HumanEdits.Added added) {
    if (!SecretData.isSecret(id.kind())) {
      return added.live();
    }
    boolean data = added.path().startsWith("/data") || added.path().startsWith("/stringData");
    return data || added.live().isContainerNode() ? hasher.hash(added.live()) : added.live();
  }

  private List<RawDrift> findDifferences(
      ResourceId id, SchemaNode schema, JsonNode desired, JsonNode live) {
    String kind = id.kind();
    if (!SecretData.isSecret(kind)) {
      return TreeComparer.compare(kind, id.group(), schema, desired, live, Set.of());
    }
    List<RawDrift> raw = new ArrayList<>(secrets.compare(desired, live));
    for (RawDrift drift :
        TreeComparer.compare(kind, id.group(), schema, desired, live, SecretData.FIELDS)) {
      raw.add(secrets.maskContainers(drift));
    }
    return raw;
  }

  /** Adds the field manager and origin of each drift, and drops the ignored ones. */
  private static List<FieldDrift> attributeAndFilter(
      List<RawDrift> raw,
      DesiredObject desired,
      JsonNode live,
      IgnoreMatcher ignore,
      HumanEdits humans) {
    ManagedFields managedFields = ManagedFields.of(live, humans::fieldKey);
    List<FieldDrift> fields = new ArrayList<>(raw.size());
    for (RawDrift drift : raw) {
      ManagedFields.Owner owner =
          drift.live() == null || managedFields.isEmpty()
              ? null
              : managedFields.ownerOf(drift.liveSegments());
      String manager = owner == null ? null : owner.manager();
      if (ignore.ignores(drift.path(), manager, desired.manifest())) {
        continue;
      }
      fields.add(
          new FieldDrift(
              drift.path(),
              drift.desired(),
              drift.live(),
              manager,
              owner == null ? null : owner.time(),
              originOf(desired, drift.path())));
    }
    return fields;
  }

  /** The values file line that set a drifted field (origins are keyed by index pointers). */
  private static ValueOrigin originOf(DesiredObject desired, String path) {
    Provenance provenance = desired.provenance();
    if (provenance == null || provenance.fieldOrigins().isEmpty()) {
      return null;
    }
    String pointer = KeyedPaths.indexPointer(desired.manifest(), path);
    ValueOrigin origin = provenance.originOf(pointer == null ? path : pointer);
    if (origin == null && SecretData.isSecret(desired.id().kind()) && path.startsWith("/data/")) {
      origin = provenance.originOf("/stringData/" + path.substring("/data/".length()));
    }
    return origin;
  }

  private static List<IgnoreRule> rulesFor(DiffInput in, String addon) {
    List<IgnoreRule> addonRules = addon == null ? null : in.addonIgnore().get(addon);
    if (addonRules == null || addonRules.isEmpty()) {
      return in.clusterIgnore();
    }
    List<IgnoreRule> rules = new ArrayList<>(in.clusterIgnore());
    rules.addAll(addonRules);
    return rules;
  }
}
