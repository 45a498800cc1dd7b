package dev.fleetwarden.fleet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.fleetwarden.model.JsonPointers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses YAML into Jackson trees and remembers the line and column of every value, keyed by JSON
 * pointer, so that errors and provenance can name the exact line. Hostile input is refused with a
 * clear error: documents over {@link #MAX_DOCUMENT_CHARS}, nesting over {@link #MAX_DEPTH}, and
 * YAML aliases (the building block of "billion laughs" bombs; fleet files do not need them).
 */
public final class LocatedYaml {
  /** Largest YAML input accepted, in characters. */
  public static final int MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;

  /** Deepest nesting accepted. */
  public static final int MAX_DEPTH = 64;

  private static final JsonNodeFactory NODES = dev.fleetwarden.model.CompactNodes.EXACT;
  private static final YAMLFactory FACTORY = newFactory();

  private LocatedYaml() {}

  /** One parsed YAML document with the location of each of its values. */
  public record Document(String file, JsonNode root, Map<String, Location> locations) {
    public Document {
      locations = Collections.unmodifiableMap(locations);
    }

    /** Location of the value at a JSON pointer, or of its nearest located parent. */
    public Location locationOf(String pointer) {
      String p = pointer;
      while (true) {
        Location l = locations.get(p);
        if (l != null) {
          return l;
        }
        if (p.isEmpty()) {
          return Location.UNKNOWN;
        }
        int slash = p.lastIndexOf('/');
        p = slash <= 0 ? "" : p.substring(0, slash);
      }
    }

    public int lineOf(String pointer) {
      return locationOf(pointer).line();
    }

    public FleetError error(String pointer, String message) {
      return FleetError.at(file, locationOf(pointer), message);
    }
  }

  /** Parses a single-document YAML file; an empty file yields an empty object. */
  public static Document parse(String file, String content) throws FleetValidationException {
    List<Document> docs = parseAll(file, content);
    if (docs.size() > 1) {
      throw new FleetValidationException(
          new FleetError(
              file,
              0,
              0,
              "expected one YAML document, found "
                  + docs.size()
                  + "; split the extra documents into their own files"));
    }
    return docs.isEmpty()
        ? new Document(file, NODES.objectNode(), Map.of("", new Location(1, 1)))
        : docs.get(0);
  }

  /** Parses every document of a multi-document YAML stream; empty documents are dropped. */
  public static List<Document> parseAll(String file, String content)
      throws FleetValidationException {
    if (content.length() > MAX_DOCUMENT_CHARS) {
      throw new FleetValidationException(
          new FleetError(
              file,
              0,
              0,
              "file is "
                  + content.length()
                  + " characters, larger than the limit of "
                  + MAX_DOCUMENT_CHARS
                  + " characters; split it or remove generated content"));
    }
    List<Document> docs = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) FACTORY.createParser(content)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        Map<String, Location> locations = new HashMap<>();
        JsonNode root = readValue(parser, token, "", locations, file, 0);
        if (!(root.isNull() && locations.isEmpty())) {
          docs.add(new Document(file, root, locations));
        }
      }
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String msg = e.getOriginalMessage();
      java.util.regex.Matcher dup =
          java.util.regex.Pattern.compile("Duplicate field '([^']*)'").matcher(String.valueOf(msg));
      int line = l == null ? 0 : l.getLineNr();
      int column = l == null ? 0 : l.getColumnNr();
      if (dup.find()) {
        msg = "duplicate key '" + dup.group(1) + "'; remove one of the two";
      } else if (e.getCause() instanceof MarkedYAMLException y) {
        YamlSyntax plain = YamlSyntax.explain(y);
        msg = plain.message();
        if (plain.line() > 0) {
          line = plain.line();
          column = plain.column();
        }
      } else {
        msg = "not valid YAML: " + firstLine(msg) + "; fix the syntax at this position";
      }
      throw new FleetValidationException(new FleetError(file, line, column, msg));
    } catch (IOException | RuntimeException e) {
      throw new FleetValidationException(
          new FleetError(file, 0, 0, "not valid YAML: " + firstLine(e.getMessage())));
    }
    return docs;
  }

  private static JsonNode readValue(
      YAMLParser p,
      JsonToken token,
      String pointer,
      Map<String, Location> locations,
      String file,
      int depth)
      throws IOException, FleetValidationException {
    JsonLocation start = p.currentTokenLocation();
    Location here = new Location(start.getLineNr(), start.getColumnNr());
    if (p.isCurrentAlias()) {
      throw new FleetValidationException(
          FleetError.at(
              file,
              here,
              "YAML aliases (*"
                  + p.getText()
                  + ") are not accepted in fleet files; write the value out instead"));
    }
    if (depth > MAX_DEPTH) {
      throw new FleetValidationException(
          FleetError.at(file, here, "nesting deeper than " + MAX_DEPTH + " levels"));
    }
    locations.put(pointer, here);
    switch (token) {
      case START_OBJECT -> {
        ObjectNode obj = NODES.objectNode();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          // Interned, as are string values: a fleet's renders repeat the same keys and mostly the
          // same values on every cluster, and the service holds every cluster's render.
          String key = p.currentName().intern();
          JsonLocation keyLoc = p.currentTokenLocation();
          String childPointer = pointer + "/" + JsonPointers.escape(key);
          JsonToken valueToken = p.nextToken();
          JsonNode child = readValue(p, valueToken, childPointer, locations, file, depth + 1);
          // Values are reported where their key is, which is where people look.
          locations.put(childPointer, new Location(keyLoc.getLineNr(), keyLoc.getColumnNr()));
          if (obj.has(key)) {
            throw new FleetValidationException(
                new FleetError(
                    file,
                    keyLoc.getLineNr(),
                    keyLoc.getColumnNr(),
                    "duplicate key '" + key + "'; remove one of the two"));
          }
          obj.set(key, child);
        }
        if (t != JsonToken.END_OBJECT) {
          throw new IOException("unexpected token " + t);
        }
        return obj;
      }
      case START_ARRAY -> {
        ArrayNode arr = NODES.arrayNode();
        JsonToken t;
        int i = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            throw new IOException("unexpected end of input in a list");
          }
          arr.add(readValue(p, t, pointer + "/" + i, locations, file, depth + 1));
          i++;
        }
        return arr;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText().intern());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDecimalValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("unexpected token " + token);
    }
  }

  /** Compiles a pointer string, for callers that want Jackson's {@code at()}. */
  public static JsonPointer pointer(String pointer) {
    return JsonPointer.compile(pointer);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable input";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static YAMLFactory newFactory() {
    LoaderOptions loader = new LoaderOptions();
    loader.setMaxAliasesForCollections(10);
    loader.setCodePointLimit(MAX_DOCUMENT_CHARS + 1024);
    loader.setNestingDepthLimit(MAX_DEPTH + 8);
    loader.setAllowDuplicateKeys(false);
    YAMLFactory f = YAMLFactory.builder().loaderOptions(loader).build();
    f.setStreamReadConstraints(
        StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH + 8)
            .maxStringLength(MAX_DOCUMENT_CHARS)
            .build());
    return f;
  }
}
