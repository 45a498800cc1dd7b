package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.YamlStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-cluster patch file that holds the live values of the drifted fields no line of the fleet
 * repo holds: a {@code Patch} whose {@code spec.set} maps each field's drift path to its live value
 * ({@code /spec/template/spec/containers/name=controller/imagePullPolicy: Always}) and holds
 * nothing else of the object. List items are named by their key, never copied, so every other field
 * of the object, of the same container included, keeps following the chart. A field absent live is
 * set to null, which removes it. Pure.
 */
final class KeyedPatch {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .stringQuotingChecker(YamlStrings.QUOTING)
              .build());

  private KeyedPatch() {}

  /**
   * A written patch file: its repo-relative path, its content, and the line each drift path is set
   * on.
   */
  record Written(String file, String content, Map<String, Integer> lines) {}

  /**
   * The patch file {@code clusters/<cluster>/patches/fleetwarden-<shortFp>.yaml} setting {@code
   * fields} of {@code id} to their live values.
   */
  static Written write(ResourceId id, String shortFp, List<FieldDrift> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a patch needs at least one field");
    }
    String file = "clusters/" + id.cluster() + "/patches/fleetwarden-" + shortFp + ".yaml";
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("apiVersion", FleetLoader.API_VERSION);
    doc.put("kind", "Patch");
    doc.putObject("metadata").put("name", "fleetwarden-" + shortFp);
    ObjectNode spec = doc.putObject("spec");
    ObjectNode t = spec.putObject("target");
    if (!id.isCoreGroup()) {
      t.put("group", id.group());
    }
    t.put("kind", id.kind());
    if (!id.isClusterScoped()) {
      t.put("namespace", id.namespace());
    }
    t.put("name", id.name());
    ObjectNode set = spec.putObject("set");
    for (FieldDrift f : fields) {
      JsonNode live = f.live();
      set.set(
          f.path(),
          live == null || live.isMissingNode() ? JsonNodeFactory.instance.nullNode() : live);
    }
    // A comment line each: paths and ids may hold line breaks that would end the comment.
    String header =
        "# Written by fleetwarden: keeps the live value of "
            + Reflected.visible(
                Reflected.cap(
                    String.join(", ", fields.stream().map(FieldDrift::path).toList()),
                    Reflected.MESSAGE))
            + "\n# of "
            + Reflected.visible(Reflected.id(id).toString())
            + " (drift "
            + shortFp
            + "); the rest of the object follows the render."
            + "\n# Delete this file to return to the rendered value.\n";
    String content;
    try {
      content = header + YAML.writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Integer> lines = new LinkedHashMap<>();
    try {
      LocatedYaml.Document located = LocatedYaml.parse(file, content);
      for (FieldDrift f : fields) {
        lines.put(f.path(), located.lineOf("/spec/set/" + JsonPointers.escape(f.path())));
      }
    } catch (FleetValidationException e) {
      throw new IllegalStateException("the patch file written does not parse: " + e.getMessage());
    }
    return new Written(file, content, lines);
  }
}
