package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A difference found by the tree walk, before attribution, ignore rules and provenance: the pointer
 * in the desired object, both values (live null when absent, values already masked for Secret data)
 * and the live path used to look up the field's manager.
 */
record RawDrift(String path, JsonNode desired, JsonNode live, List<Object> liveSegments) {}
