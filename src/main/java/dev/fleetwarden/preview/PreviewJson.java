package dev.fleetwarden.preview;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import java.util.List;

/**
 * A preview as one JSON document ({@code preview -o json}): {@code {"base","head","valid","errors":
 * [{"file","line","column","message"}],"clusters":[{"name","objects":[{"resource","change","fields":
 * [{"path","before","after"}]}],"terraform":[...],"overwritesDrift":[{"resource","path","desired",
 * "live","manager","time"}],"resolvesDrift":[{"resource","path"}],"note"}]}}} ({@code note}: chart
 * upgrades and anything else a reader must know, or null). Strings from the fleet repo and live
 * clusters are capped as in every report (values at {@value Reflected#VALUE} characters, a longer
 * list or object as its capped compact text; names and paths at {@value Reflected#NAME}; messages
 * at {@value Reflected#MESSAGE}), and control characters JSON would pass through (DEL, C1, bidi
 * overrides) are escaped, so the output is safe on a terminal. Unknown line and column are {@code
 * null}.
 */
public final class PreviewJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(new JsonFactory().setCharacterEscapes(new ControlEscapes()))
          .enable(SerializationFeature.INDENT_OUTPUT);

  private PreviewJson() {}

  /** The document, with a trailing newline. */
  public static String format(Preview preview) {
    try {
      return MAPPER.writeValueAsString(tree(preview)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("preview is not serializable", e);
    }
  }

  /** The document as a tree. */
  public static ObjectNode tree(Preview p) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("base", p.base());
    root.put("head", p.head());
    root.put("valid", p.valid());
    ArrayNode errors = root.putArray("errors");
    for (FleetError e : p.errors()) {
      ObjectNode n = errors.addObject();
      n.put("file", name(e.file()));
      putPositive(n, "line", e.line());
      putPositive(n, "column", e.column());
      n.put("message", Reflected.cap(e.message(), Reflected.MESSAGE));
    }
    ArrayNode clusters = root.putArray("clusters");
    for (ClusterPreview c : p.clusters()) {
      ObjectNode n = clusters.addObject();
      n.put("name", name(c.name()));
      changes(n.putArray("objects"), c.objects());
      changes(n.putArray("terraform"), c.terraform());
      ArrayNode overwrites = n.putArray("overwritesDrift");
      for (DriftOverwrite o : c.overwritesDrift()) {
        ObjectNode w = overwrites.addObject();
        w.put("resource", id(o.resource()));
        w.put("path", name(o.path()));
        w.set("desired", value(o.desired()));
        w.set("live", value(o.live()));
        w.put("manager", name(o.manager()));
        w.put("time", o.time() == null ? null : o.time().toString());
      }
      ArrayNode resolves = n.putArray("resolvesDrift");
      for (DriftResolution r : c.resolvesDrift()) {
        resolves.addObject().put("resource", id(r.resource())).put("path", name(r.path()));
      }
      // what else a reader must know: a chart upgrade, a base that did not render
      n.put("note", c.note() == null ? null : Reflected.cap(c.note(), Reflected.MESSAGE));
    }
    return root;
  }

  private static void changes(ArrayNode out, List<ObjectChange> changes) {
    for (ObjectChange o : changes) {
      ObjectNode n = out.addObject();
      n.put("resource", id(o.resource()));
      n.put("change", o.change().label());
      ArrayNode fields = n.putArray("fields");
      for (FieldChange f : o.fields()) {
        ObjectNode field = fields.addObject();
        field.put("path", name(f.path()));
        field.set("before", value(f.before()));
        field.set("after", value(f.after()));
      }
    }
  }

  private static void putPositive(ObjectNode n, String field, int value) {
    if (value > 0) {
      n.put(field, value);
    } else {
      n.putNull(field);
    }
  }

  private static String id(ResourceId id) {
    return Reflected.id(id).toString();
  }

  private static String name(String s) {
    return Reflected.cap(s, Reflected.NAME);
  }

  /** A value capped like the report's: long strings, lists and objects as capped text. */
  static JsonNode value(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    if (v.isTextual()) {
      return TextNode.valueOf(Reflected.cap(v.textValue(), Reflected.VALUE));
    }
    if (v.isContainerNode()) {
      String compact = v.toString();
      if (compact.length() > Reflected.VALUE) {
        return TextNode.valueOf(Reflected.cap(compact, Reflected.VALUE));
      }
    }
    return v;
  }

  /** JSON's own escapes, plus DEL, C1 controls, line separators and bidi overrides. */
  private static final class ControlEscapes extends CharacterEscapes {
    private final int[] ascii;

    ControlEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch <= 0xffff && Reflected.isControl((char) ch)
          ? new SerializedString(String.format("\\u%04x", ch))
          : null;
    }
  }
}
