package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Ownership;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Live objects Git does not hold: orphans (the previous render held them, or they carry the
 * ownership label) and objects a person created by hand ({@link DriftType#ADDED}).
 *
 * <p>Objects a controller derives from another object are neither, whatever labels they copied:
 * anything with {@code ownerReferences} (ReplicaSets, Pods, ControllerRevisions, Jobs of a CronJob,
 * EndpointSlices), a Service's Endpoints (same name, no owner reference), the
 * PersistentVolumeClaims of a StatefulSet's claim templates ({@code
 * <template>-<statefulset>-<ordinal>}), and objects that carry a controller's hash label ({@code
 * pod-template-hash}, {@code controller-revision-hash}).
 *
 * <p>Objects added by hand are looked for where a live read looks (the desired kinds, in the
 * desired namespaces for namespaced kinds), so that a dump of a whole cluster gives the same
 * verdict as reading the cluster.
 */
final class LiveOnly {
  private static final Set<String> HASH_LABELS =
      Set.of("pod-template-hash", "controller-revision-hash");
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  private static final Pattern ORDINAL = Pattern.compile("-[0-9]+$");

  /** A kind of the desired state; the kind string shared, so its hash is not computed again. */
  private record GroupKind(String group, String kind) {}

  private final DiffInput in;
  private final LiveObjects live;
  private final HumanEdits humans;
  private final Set<GroupKind> desiredKinds = new HashSet<>();
  private final Set<String> desiredNamespaces = new HashSet<>();
  private final Set<ResourceId> previous = new HashSet<>();
  private final Set<String> claimPrefixes = new HashSet<>();

  /** The desired ids, collected only when an Endpoints object asks for its Service. */
  private Set<ResourceId> desiredIds;

  LiveOnly(DiffInput in, LiveObjects live, HumanEdits humans) {
    this.in = in;
    this.live = live;
    this.humans = humans;
    String lastNamespace = null;
    ResourceId last = null;
    for (DesiredObject desired : in.desired()) {
      ResourceId id = desired.id();
      if (last == null || !id.kind().equals(last.kind()) || !id.group().equals(last.group())) {
        desiredKinds.add(new GroupKind(id.group(), id.kind()));
      }
      last = id;
      // objects of one add-on come together: most namespaces repeat the previous one
      if (!id.isClusterScoped() && !id.namespace().equals(lastNamespace)) {
        lastNamespace = id.namespace();
        desiredNamespaces.add(lastNamespace);
      }
      if (id.isCoreGroup() || "apps".equals(id.group())) {
        collectClaimPrefixes(id, desired.manifest());
      }
    }
    for (ResourceId id : in.previousRender()) {
      ResourceId inCluster = id.inCluster(in.cluster());
      previous.add(inCluster);
    }
  }

  List<ObjectDrift> drifts() {
    List<ObjectDrift> out = new ArrayList<>();
    for (LiveObjects.Entry entry : live.entries()) {
      ResourceId id = entry.id;
      JsonNode object = entry.object;
      if (entry.desired || derived(id, object)) {
        continue;
      }
      JsonNode owner = object.path("metadata").path("labels").get(Ownership.LABEL);
      if (owner != null || previous.contains(id)) {
        String addon = owner == null || owner.asText().isEmpty() ? null : owner.asText();
        out.add(
            new ObjectDrift(id, addon, DriftSource.KUBERNETES, DriftType.ORPHAN, null, List.of()));
      } else if (desiredKinds.contains(new GroupKind(id.group(), id.kind()))
          && inDesiredNamespace(id)) {
        ObjectDrift added = addedByHand(id, object);
        if (added != null) {
          out.add(added);
        }
      }
    }
    return out;
  }

  private boolean inDesiredNamespace(ResourceId id) {
    return id.isClusterScoped() || desiredNamespaces.contains(id.namespace());
  }

  /**
   * An object whose creator (the earliest writer in {@code managedFields}) is a human-operated
   * client: one field at the root pointer names who and when; the content is not repeated (it may
   * be a Secret).
   */
  private ObjectDrift addedByHand(ResourceId id, JsonNode object) {
    JsonNode creator = null;
    Instant created = null;
    for (JsonNode entry : object.path("metadata").path("managedFields")) {
      if (!entry.path("subresource").asText("").isEmpty()) {
        continue;
      }
      Instant time = time(entry.path("time").asText(null));
      if (creator == null || (time != null && (created == null || time.isBefore(created)))) {
        creator = entry;
        created = time;
      }
    }
    String manager = creator == null ? null : creator.path("manager").asText(null);
    if (!humans.isHuman(manager)) {
      return null;
    }
    if (IgnoreMatcher.forObject(id, in.clusterIgnore()).ignores("", manager, object)) {
      return null;
    }
    return new ObjectDrift(
        id,
        null,
        DriftSource.KUBERNETES,
        DriftType.ADDED,
        null,
        List.of(new FieldDrift("", null, null, manager, created, null)));
  }

  private boolean derived(ResourceId id, JsonNode object) {
    JsonNode metadata = object.path("metadata");
    JsonNode owners = metadata.get("ownerReferences");
    if (owners != null && owners.isArray() && !owners.isEmpty()) {
      return true;
    }
    JsonNode labels = metadata.path("labels");
    for (String label : HASH_LABELS) {
      if (labels.has(label)) {
        return true;
      }
    }
    if (id.isCoreGroup() && id.kind().equals("Endpoints")) {
      ResourceId service = new ResourceId(id.cluster(), "", "Service", id.namespace(), id.name());
      return live.contains(service) || desiredIds().contains(service);
    }
    if ("discovery.k8s.io".equals(id.group()) && id.kind().equals("EndpointSlice")) {
      return labels.has(SERVICE_NAME_LABEL);
    }
    if (id.isCoreGroup() && id.kind().equals("PersistentVolumeClaim")) {
      return ORDINAL.matcher(id.name()).find()
          && claimPrefixes.contains(
              id.namespace() + "/" + ORDINAL.matcher(id.name()).replaceFirst(""));
    }
    return false;
  }

  private Set<ResourceId> desiredIds() {
    if (desiredIds == null) {
      desiredIds = new HashSet<>();
      for (DesiredObject desired : in.desired()) {
        desiredIds.add(desired.id().inCluster(in.cluster()));
      }
    }
    return desiredIds;
  }

  /** {@code namespace/<template>-<statefulset>} for each claim template of a StatefulSet. */
  private void collectClaimPrefixes(ResourceId id, JsonNode manifest) {
    if (!id.kind().equals("StatefulSet")) {
      return;
    }
    for (JsonNode template : manifest.path("spec").path("volumeClaimTemplates")) {
      String name = template.path("metadata").path("name").asText("");
      if (!name.isEmpty()) {
        claimPrefixes.add(id.namespace() + "/" + name + "-" + id.name());
      }
    }
  }

  private static Instant time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
