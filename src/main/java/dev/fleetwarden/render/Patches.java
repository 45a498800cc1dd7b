package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.KeyedPaths;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.ValueOrigin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Applies a cluster's patch files ({@code clusters/<c>/patches/*.yaml}) to its rendered objects, on
 * the one target object: first the JSON merge patch (RFC 7386) of {@code spec.patch}, then each
 * field of {@code spec.set}, found by its keyed path ({@link KeyedPaths}: list items by key, so the
 * rest of a list item keeps following the render). Patched fields get the patch file and line as
 * their origin. A patch whose target is not rendered, or a path that names a list item the render
 * does not hold, is an error naming the patch file and line.
 */
final class Patches {
  private Patches() {}

  static void apply(
      Path repoRoot, ClusterSpec cluster, SortedMap<ResourceId, FleetRenderer.WorkingObject> byId)
      throws RenderException {
    for (var patch : cluster.patches()) {
      FleetRenderer.WorkingObject target = target(cluster, patch, byId);
      LocatedYaml.Document located = locate(repoRoot, patch.file());
      if (patch.patch() != null) {
        checkIdentityUntouched(patch);
        mergePatch(target.manifest, patch.patch(), "", target.origins, patch, located);
      }
      if (patch.set() != null) {
        setFields(target, patch, located);
      }
    }
  }

  /** Sets each field of the patch's {@code set} at the place its keyed path names. */
  private static void setFields(
      FleetRenderer.WorkingObject target,
      dev.fleetwarden.fleet.PatchFile patch,
      LocatedYaml.Document located)
      throws RenderException {
    Iterator<Map.Entry<String, JsonNode>> it = patch.set().fields();
    while (it.hasNext()) {
      var e = it.next();
      String path = e.getKey();
      String inFile = "/spec/set/" + JsonPointers.escape(path);
      int line = located == null ? patch.line() : located.lineOf(inFile);
      JsonNode value = e.getValue();
      String pointer = setField(target, path, value, patch.file(), line);
      if (value.isNull()) {
        continue;
      }
      dropUnder(target.origins, pointer);
      recordOrigins(value, pointer, inFile, target.origins, patch.file(), line, located);
    }
  }

  /**
   * Sets (null: removes) the value at a keyed path of the target, creating mappings the render
   * lacks on the way; returns the index pointer of the place.
   */
  private static String setField(
      FleetRenderer.WorkingObject target, String path, JsonNode value, String file, int line)
      throws RenderException {
    List<String> segments = JsonPointers.split(path);
    if (segments.isEmpty()
        || segments.get(0).equals("kind")
        || segments.get(0).equals("apiVersion")
        || (segments.get(0).equals("metadata")
            && (segments.size() == 1
                || segments.get(1).equals("name")
                || segments.get(1).equals("namespace")))) {
      throw setError(
          file,
          line,
          path,
          "a patch cannot change kind, apiVersion, metadata.name or metadata.namespace; remove the"
              + " line");
    }
    JsonNode node = target.manifest;
    StringBuilder pointer = new StringBuilder();
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (node instanceof ArrayNode list) {
        int index = KeyedPaths.indexIn(list, segment);
        if (index < 0) {
          throw setError(
              file,
              line,
              path,
              "no item "
                  + segment
                  + " in "
                  + (shown.length() == 0 ? "/" : shown)
                  + " of the rendered "
                  + target.id.withinCluster()
                  + " (its items: "
                  + items(list, segment)
                  + "); fix the path or remove the line");
        }
        pointer.append('/').append(index);
        if (last) {
          if (value.isNull()) {
            list.remove(index);
            shiftAfterRemoval(target.origins, pointer.toString());
          } else {
            list.set(index, value.deepCopy());
          }
          return pointer.toString();
        }
        node = list.get(index);
      } else if (node instanceof ObjectNode object) {
        pointer.append('/').append(JsonPointers.escape(segment));
        if (last) {
          if (value.isNull()) {
            object.remove(segment);
            dropUnder(target.origins, pointer.toString());
          } else {
            object.set(segment, value.deepCopy());
          }
          return pointer.toString();
        }
        JsonNode child = object.get(segment);
        if (child == null || child.isNull()) {
          String next = segments.get(i + 1);
          if (KeyedPaths.isIndex(next) || KeyedPaths.selector(next) != null) {
            throw setError(
                file,
                line,
                path,
                "the rendered "
                    + target.id.withinCluster()
                    + " has no list at "
                    + shown
                    + "/"
                    + JsonPointers.escape(segment)
                    + ", so it holds no item "
                    + next
                    + "; fix the path or remove the line");
          }
          dropUnder(target.origins, pointer.toString());
          child = object.putObject(segment);
        }
        node = child;
      } else {
        throw setError(
            file,
            line,
            path,
            (shown.length() == 0 ? "/" : shown)
                + " of the rendered "
                + target.id.withinCluster()
                + " is a single value, not a mapping or list; fix the path or remove the line");
      }
      shown.append('/').append(JsonPointers.escape(segment));
    }
    return pointer.toString();
  }

  private static RenderException setError(String file, int line, String path, String message) {
    return new RenderException(null, file, line, "spec.set " + path + ": " + message);
  }

  /** The items of a list as the key fields of {@code segment} name them, a few of them. */
  private static String items(ArrayNode list, String segment) {
    Map<String, String> selector = KeyedPaths.selector(segment);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < list.size() && names.size() < 8; i++) {
      JsonNode item = list.get(i);
      if (selector == null) {
        names.add(String.valueOf(i));
        continue;
      }
      StringBuilder sb = new StringBuilder();
      for (String key : selector.keySet()) {
        JsonNode v = item.path(key);
        if (v.isValueNode() && !v.isNull()) {
          sb.append(sb.length() == 0 ? "" : ",").append(key).append('=').append(v.asText());
        }
      }
      names.add(sb.length() == 0 ? "#" + i : sb.toString());
    }
    if (names.isEmpty()) {
      return "none";
    }
    return String.join(", ", names) + (list.size() > names.size() ? ", …" : "");
  }

  /** After removing the list item at {@code removed}, the origins of later items move up one. */
  private static void shiftAfterRemoval(Map<String, ValueOrigin> origins, String removed) {
    dropUnder(origins, removed);
    int slash = removed.lastIndexOf('/');
    String listPointer = removed.substring(0, slash);
    int index = Integer.parseInt(removed.substring(slash + 1));
    Map<String, ValueOrigin> moved = new java.util.TreeMap<>();
    for (var it = origins.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      String k = e.getKey();
      if (!k.startsWith(listPointer + "/")) {
        continue;
      }
      String rest = k.substring(listPointer.length() + 1);
      int end = rest.indexOf('/');
      String head = end < 0 ? rest : rest.substring(0, end);
      if (KeyedPaths.isIndex(head) && Integer.parseInt(head) > index) {
        moved.put(
            listPointer + "/" + (Integer.parseInt(head) - 1) + (end < 0 ? "" : rest.substring(end)),
            e.getValue());
        it.remove();
      }
    }
    origins.putAll(moved);
  }

  private static FleetRenderer.WorkingObject target(
      ClusterSpec cluster,
      dev.fleetwarden.fleet.PatchFile patch,
      SortedMap<ResourceId, FleetRenderer.WorkingObject> byId)
      throws RenderException {
    String described =
        ResourceId.groupKind(patch.group(), patch.kind())
            + "/"
            + (patch.namespace() == null ? "" : patch.namespace() + "/")
            + patch.name();
    List<FleetRenderer.WorkingObject> matches = new ArrayList<>();
    for (FleetRenderer.WorkingObject o : byId.values()) {
      boolean nsMatches =
          patch.namespace() == null
              ? true
              : patch.namespace().equals(o.id.namespace()) && !o.id.isClusterScoped();
      boolean groupMatches = patch.group() == null || patch.group().equals(o.id.group());
      if (o.id.kind().equals(patch.kind())
          && groupMatches
          && o.id.name().equals(patch.name())
          && nsMatches) {
        matches.add(o);
      }
    }
    if (matches.isEmpty()) {
      throw new RenderException(
          null,
          patch.file(),
          patch.line(),
          "patch target "
              + described
              + " is not rendered on cluster "
              + cluster.name()
              + "; fix spec.target (kind, namespace, name) or remove the patch");
    }
    if (matches.size() > 1) {
      throw new RenderException(
          null,
          patch.file(),
          patch.line(),
          "patch target "
              + described
              + " matches "
              + matches.size()
              + (matches.stream().map(o -> o.id.group()).distinct().count() > 1
                  ? " objects of different API groups; set spec.target.group"
                  : " objects in different namespaces; set spec.target.namespace"));
    }
    return matches.get(0);
  }

  private static void checkIdentityUntouched(dev.fleetwarden.fleet.PatchFile patch)
      throws RenderException {
    JsonNode p = patch.patch();
    boolean touches =
        p.has("kind")
            || p.has("apiVersion")
            || p.path("metadata").has("name")
            || p.path("metadata").has("namespace");
    if (touches) {
      throw new RenderException(
          null,
          patch.file(),
          patch.line(),
          "a patch cannot change kind, apiVersion, metadata.name or metadata.namespace; remove"
              + " those keys from spec.patch");
    }
  }

  private static LocatedYaml.Document locate(Path repoRoot, String file) {
    try {
      return LocatedYaml.parse(file, RepoFiles.read(repoRoot, file));
    } catch (FleetValidationException e) {
      return null; // lines fall back to the patch's own line
    }
  }

  /** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
  private static void mergePatch(
      ObjectNode target,
      JsonNode patch,
      String pointer,
      Map<String, ValueOrigin> origins,
      dev.fleetwarden.fleet.PatchFile file,
      LocatedYaml.Document located) {
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      var e = it.next();
      String p = pointer + "/" + JsonPointers.escape(e.getKey());
      JsonNode value = e.getValue();
      if (value.isNull()) {
        target.remove(e.getKey());
        dropUnder(origins, p);
      } else if (value.isObject()) {
        JsonNode existing = target.get(e.getKey());
        ObjectNode child;
        if (existing instanceof ObjectNode o) {
          child = o;
        } else {
          dropUnder(origins, p);
          child = target.putObject(e.getKey());
        }
        mergePatch(child, value, p, origins, file, located);
      } else {
        dropUnder(origins, p);
        target.set(e.getKey(), value.deepCopy());
        recordOrigins(value, p, "/spec/patch" + p, origins, file.file(), file.line(), located);
      }
    }
  }

  /**
   * Records the patch file's line as the origin of each value of a set or merged subtree: {@code
   * pointer} in the object, {@code inFile} the same place inside the patch file.
   */
  private static void recordOrigins(
      JsonNode value,
      String pointer,
      String inFile,
      Map<String, ValueOrigin> origins,
      String file,
      int fallbackLine,
      LocatedYaml.Document located) {
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        recordOrigins(
            value.get(i),
            pointer + "/" + i,
            inFile + "/" + i,
            origins,
            file,
            fallbackLine,
            located);
      }
    } else if (value.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        var f = fields.next();
        String escaped = "/" + JsonPointers.escape(f.getKey());
        recordOrigins(
            f.getValue(),
            pointer + escaped,
            inFile + escaped,
            origins,
            file,
            fallbackLine,
            located);
      }
    } else {
      int line = located == null ? fallbackLine : located.lineOf(inFile);
      origins.put(pointer, new ValueOrigin(file, line, inFile));
    }
  }

  private static void dropUnder(Map<String, ValueOrigin> origins, String pointer) {
    origins.keySet().removeIf(k -> k.equals(pointer) || k.startsWith(pointer + "/"));
  }
}
