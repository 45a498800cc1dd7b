package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.drift.Differ;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.Findings;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LiveComparison} from the service's ledger, without reading any cluster: today's drift is
 * the cluster's open Kubernetes findings (each drifted field with its live value, field manager and
 * time, as the last scan saw them). For the head, each drifted object is rebuilt as live must be
 * (the head's object with the drifted fields at their live values) and compared with the head's
 * object through the same differ as a scan, so normalization and ignore rules apply. A Secret's
 * drifted key is compared by keyed hash (the ledger holds nothing else). A drifted field the head
 * no longer sets is left out: the head neither sets it again nor adopts it.
 */
public final class LedgerDrift implements LiveComparison {
  private final Findings findings;
  private final SecretHasher hasher;
  private final Differ differ;

  public LedgerDrift(Findings findings, SecretHasher hasher) {
    this.findings = findings;
    this.hasher = hasher;
    this.differ = new Differ(hasher);
  }

  @Override
  public Drifts compare(
      String cluster, Fleet base, ClusterRender baseRender, Fleet head, ClusterRender headRender) {
    List<ObjectDrift> open;
    try {
      open =
          findings.open(cluster).stream()
              .map(Finding::drift)
              .filter(d -> d.source() == DriftSource.KUBERNETES)
              .toList();
    } catch (RuntimeException e) {
      return Drifts.unknown("the store cannot be read: " + e.getMessage());
    }
    Map<ResourceId, DesiredObject> wanted = new HashMap<>();
    headRender.objects().forEach(o -> wanted.put(o.id().inCluster(cluster), o));
    List<ObjectDrift> today = new ArrayList<>();
    List<ObjectDrift> underHead = new ArrayList<>();
    for (ObjectDrift d : open) {
      DesiredObject h = wanted.get(d.resource());
      switch (d.type()) {
        case MODIFIED -> {
          if (h == null) {
            today.add(d);
          } else {
            modified(cluster, head, d, h, today, underHead);
          }
        }
        case MISSING -> {
          today.add(d);
          if (h != null) {
            underHead.add(d);
          }
        }
        case ORPHAN -> {
          today.add(d);
          // The ledger keeps no copy of the orphan: whether the head wants it as it is live is
          // unknown, so it is never taken as adopted.
          underHead.add(
              h == null
                  ? d
                  : new ObjectDrift(
                      d.resource(),
                      d.addon(),
                      d.source(),
                      DriftType.MODIFIED,
                      d.file(),
                      List.of()));
        }
        default -> {}
      }
    }
    return new Drifts(today, underHead, null);
  }

  /** One drifted object the head still wants: which of its fields stay drifted. */
  private void modified(
      String cluster,
      Fleet head,
      ObjectDrift d,
      DesiredObject h,
      List<ObjectDrift> today,
      List<ObjectDrift> underHead) {
    boolean secret = "Secret".equals(d.resource().kind());
    ObjectNode live = h.manifest().deepCopy();
    List<FieldDrift> kept = new ArrayList<>();
    List<FieldDrift> secretStill = new ArrayList<>();
    for (FieldDrift f : d.fields()) {
      if (secret && f.path().startsWith("/data/")) {
        JsonNode value = secretValue(h.manifest(), f.path().substring("/data/".length()));
        if (value == null) {
          continue; // the head does not set the key
        }
        kept.add(f);
        if (f.live() == null || !value.equals(f.live())) {
          secretStill.add(new FieldDrift(f.path(), value, f.live()));
        }
      } else if (!secret || !isContainer(h.manifest().at(f.path()))) {
        if (set(live, f.path(), f.live())) {
          kept.add(f);
        }
      }
    }
    if (kept.isEmpty()) {
      return;
    }
    today.add(new ObjectDrift(d.resource(), d.addon(), d.source(), d.type(), d.file(), kept));
    List<FieldDrift> still = new ArrayList<>(secretStill);
    // The rebuilt object keeps the head's Secret data: its keys were judged by hash above.
    ObjectDrift again = differ.compare(cluster, h, live, rules(head, cluster, h));
    if (again != null) {
      still.addAll(again.fields());
    }
    if (!still.isEmpty()) {
      underHead.add(
          new ObjectDrift(
              d.resource(), d.addon(), d.source(), DriftType.MODIFIED, d.file(), still));
    }
  }

  /** The keyed hash of a Secret key's value in a desired Secret, or null when it sets none. */
  private JsonNode secretValue(JsonNode secret, String escapedKey) {
    String key = JsonPointers.unescape(escapedKey);
    JsonNode plain = secret.path("stringData").get(key);
    if (plain != null && !plain.isNull()) {
      return hasher.hash(plain.asText().getBytes(StandardCharsets.UTF_8));
    }
    JsonNode encoded = secret.path("data").get(key);
    if (encoded == null || encoded.isNull()) {
      return null;
    }
    try {
      return hasher.hash(Base64.getMimeDecoder().decode(encoded.asText()));
    } catch (IllegalArgumentException e) {
      return hasher.hash(encoded.asText().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<IgnoreRule> rules(Fleet fleet, String cluster, DesiredObject object) {
    List<IgnoreRule> rules = new ArrayList<>();
    ClusterSpec c = fleet.clusters().get(cluster);
    if (c != null) {
      rules.addAll(c.ignore());
    }
    AddonSpec addon = object.addon() == null ? null : fleet.addons().get(object.addon());
    if (addon != null) {
      rules.addAll(addon.ignore());
    }
    return rules;
  }

  private static boolean isContainer(JsonNode value) {
    return value != null && value.isContainerNode();
  }

  /**
   * Sets the field at {@code pointer} (list items by index, or by key as {@code name=web} or {@code
   * containerPort=8080,protocol=TCP}) to {@code value}, or removes it when {@code value} is null;
   * false when the head's object has no such place.
   */
  static boolean set(ObjectNode root, String pointer, JsonNode value) {
    List<String> segments = JsonPointers.split(pointer);
    if (segments.isEmpty()) {
      return false;
    }
    JsonNode parent = root;
    for (int i = 0; i < segments.size() - 1; i++) {
      parent = child(parent, segments.get(i));
      if (parent == null) {
        return false;
      }
    }
    String last = segments.get(segments.size() - 1);
    if (parent instanceof ObjectNode o) {
      if (!o.has(last)) {
        return false;
      }
      if (value == null) {
        o.remove(last);
      } else {
        o.set(last, value);
      }
      return true;
    }
    if (parent instanceof ArrayNode a) {
      int index = indexOf(a, last);
      if (index < 0) {
        return false;
      }
      if (value == null) {
        a.remove(index);
      } else {
        a.set(index, value);
      }
      return true;
    }
    return false;
  }

  private static JsonNode child(JsonNode node, String segment) {
    if (node instanceof ObjectNode o) {
      return o.get(segment);
    }
    if (node instanceof ArrayNode a) {
      int index = indexOf(a, segment);
      return index < 0 ? null : a.get(index);
    }
    return null;
  }

  /** A list item by index, or by its key fields ({@code k=v}, several joined by commas). */
  private static int indexOf(ArrayNode list, String segment) {
    if (segment.matches("\\d+")) {
      int i = Integer.parseInt(segment);
      return i < list.size() ? i : -1;
    }
    if (!segment.contains("=")) {
      return -1;
    }
    Map<String, String> keys = new HashMap<>();
    for (String pair : segment.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        return -1;
      }
      keys.put(pair.substring(0, eq), JsonPointers.unescape(pair.substring(eq + 1)));
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      boolean all = item.isObject();
      for (Map.Entry<String, String> k : keys.entrySet()) {
        JsonNode v = item.get(k.getKey());
        if (v == null || !v.asText().equals(k.getValue())) {
          all = false;
          break;
        }
      }
      if (all) {
        return i;
      }
    }
    return -1;
  }
}
