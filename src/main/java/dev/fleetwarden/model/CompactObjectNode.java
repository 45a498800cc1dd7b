package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON object whose fields are a {@link FieldMap}, reachable without going through the entry view
 * ({@link FieldMap#of}); a deep copy stays compact.
 */
final class CompactObjectNode extends ObjectNode {
  private static final long serialVersionUID = 1L;

  CompactObjectNode(JsonNodeFactory factory, FieldMap fields) {
    super(factory, fields);
  }

  FieldMap fieldMap() {
    return (FieldMap) _children;
  }

  @Override
  public ObjectNode deepCopy() {
    FieldMap fields = fieldMap();
    FieldMap copy = new FieldMap(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      copy.append(fields.name(i), fields.value(i).deepCopy());
    }
    return new CompactObjectNode(_nodeFactory, copy);
  }
}
