package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.ResourceId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cluster's live objects by id, each marked once a desired object claims it, so that what is
 * left over (orphans, objects added by hand) is found without a second lookup per object.
 *
 * <p>An object read in several versions (the desired state declares its kind in two) is also kept
 * by id and version, so that each desired object is compared with the object as served in the
 * version Git declares, never across versions.
 */
final class LiveObjects {
  /** A live object, and whether a desired object has the same id. */
  static final class Entry {
    final ResourceId id;
    final JsonNode object;
    boolean desired;

    private Entry(ResourceId id, JsonNode object) {
      this.id = id;
      this.object = object;
    }
  }

  private final Map<ResourceId, Entry> byId;
  private final Map<String, JsonNode> otherVersions = new HashMap<>();

  LiveObjects(String cluster, List<? extends JsonNode> live) {
    byId = new HashMap<>(live.size() * 2);
    for (JsonNode object : live) {
      ResourceId id = ResourceId.of(cluster, object);
      Entry first = byId.putIfAbsent(id, new Entry(id, object));
      if (first != null) {
        otherVersions.putIfAbsent(
            id + " " + first.object.path("apiVersion").asText(), first.object);
        otherVersions.putIfAbsent(id + " " + object.path("apiVersion").asText(), object);
      }
    }
  }

  /**
   * The live object a desired object of this id and {@code apiVersion} is compared with (null: it
   * does not exist), marking the id as desired.
   */
  JsonNode claim(ResourceId id, String apiVersion) {
    Entry entry = byId.get(id);
    if (entry == null) {
      return null;
    }
    entry.desired = true;
    if (!otherVersions.isEmpty()) {
      JsonNode read = otherVersions.get(id + " " + apiVersion);
      if (read != null) {
        return read;
      }
    }
    return entry.object;
  }

  boolean contains(ResourceId id) {
    return byId.containsKey(id);
  }

  Collection<Entry> entries() {
    return byId.values();
  }
}
