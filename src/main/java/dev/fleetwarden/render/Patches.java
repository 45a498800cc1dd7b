package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.ValueOrigin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Applies a cluster's patch files ({@code clusters/<c>/patches/*.yaml}) to its rendered objects: a
 * JSON merge patch (RFC 7386) on the one target object. Patched fields get the patch file and line
 * as their origin. A patch whose target is not rendered is an error naming the patch file.
 */
final class Patches {
  private Patches() {}

  static void apply(
      Path repoRoot, ClusterSpec cluster, SortedMap<ResourceId, FleetRenderer.WorkingObject> byId)
      throws RenderException {
    for (var patch : cluster.patches()) {
      FleetRenderer.WorkingObject target = target(cluster, patch, byId);
      checkIdentityUntouched(patch);
      LocatedYaml.Document located = locate(repoRoot, patch.file());
      mergePatch(target.manifest, patch.patch(), "", target.origins, patch, located);
    }
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
        recordOrigins(value, p, origins, file, located);
      }
    }
  }

  private static void recordOrigins(
      JsonNode value,
      String pointer,
      Map<String, ValueOrigin> origins,
      dev.fleetwarden.fleet.PatchFile file,
      LocatedYaml.Document located) {
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        recordOrigins(value.get(i), pointer + "/" + i, origins, file, located);
      }
    } else if (value.isObject()) {
      value
          .fields()
          .forEachRemaining(
              f ->
                  recordOrigins(
                      f.getValue(),
                      pointer + "/" + JsonPointers.escape(f.getKey()),
                      origins,
                      file,
                      located));
    } else {
      String inFile = "/spec/patch" + pointer;
      int line = located == null ? file.line() : located.lineOf(inFile);
      origins.put(pointer, new ValueOrigin(file.file(), line, inFile));
    }
  }

  private static void dropUnder(Map<String, ValueOrigin> origins, String pointer) {
    origins.keySet().removeIf(k -> k.equals(pointer) || k.startsWith(pointer + "/"));
  }
}
