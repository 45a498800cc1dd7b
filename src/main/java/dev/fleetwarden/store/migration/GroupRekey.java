package dev.fleetwarden.store.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.Fingerprints;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves stored drift history to resource ids that carry the API group ({@code
 * cluster/Deployment.apps/ns/name} instead of {@code cluster/Deployment/ns/name}). The id is part
 * of a drift's fingerprint, so a finding of a non-core kind gets a new fingerprint, and everything
 * keyed by the old one moves with it: the finding row (and the {@code superseded_by} links to it),
 * the alert state (so the drift is not alerted again and its "resolved" follow-up edits the message
 * already posted), the pull-request row, and the outbox rows of its alert (channel key, dedup key
 * and the fingerprint in the payload).
 *
 * <p>Two passes use it:
 *
 * <ul>
 *   <li>the V6 migration ({@link #migrate}) re-keys every finding whose kind Kubernetes serves in
 *       one known group ({@link dev.fleetwarden.model.Kinds#builtInGroup}), after checking that its
 *       stored drift still gives its stored fingerprint, and adds the group to the ids of each
 *       cluster's last render;
 *   <li>a scan ({@link #adoptLegacy}) re-keys an open finding the migration could not resolve
 *       (custom resources: their group is in no stored row) when the scan reports the same drift
 *       under a grouped id: same cluster, kind, namespace and name, and the finding's fingerprint
 *       is the drift's {@linkplain Fingerprints#legacy legacy fingerprint}. The same pass re-keys
 *       an open finding stored before drift paths named keyed list items by their key, when the
 *       scan reports it with key paths ({@link Fingerprints#sameBeforeKeyedPaths}).
 * </ul>
 *
 * Rows that neither pass resolves stay as they were: an open one is resolved by the first scan that
 * no longer reports it, as any finding is.
 */
public final class GroupRekey {
  private static final Logger LOG = LoggerFactory.getLogger(GroupRekey.class);

  /** Drifts are stored as JdbcStore writes them. */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private GroupRekey() {}

  /** What one pass changed, for the log and for tests. */
  public record Counts(int findings, int alertStates, int pullRequests, int outboxRows, int kept) {}

  /**
   * The V6 migration: re-keys the findings of built-in non-core kinds and adds the group to the
   * stored renders. Findings of other kinds are kept as they are (see {@link #adoptLegacy}).
   */
  public static Counts migrate(Connection c) throws SQLException {
    List<Rekey> plan = new ArrayList<>();
    int kept = 0;
    Set<String> taken = new HashSet<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT cluster, fingerprint, resource_id, drift_json FROM fw_finding");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        taken.add(rs.getString(1) + "/" + rs.getString(2));
        Rekey r = planMigration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
        if (r == NOT_NEEDED) {
          continue;
        }
        if (r == null) {
          kept++;
        } else {
          plan.add(r);
        }
      }
    }
    int[] counts = new int[4];
    for (Rekey r : plan) {
      if (taken.contains(r.cluster + "/" + r.newFingerprint)) {
        kept++;
        continue;
      }
      apply(c, r, counts);
    }
    int renders = migrateRenders(c);
    Counts result = new Counts(counts[0], counts[1], counts[2], counts[3], kept);
    LOG.info(
        "resource ids now carry the API group: re-keyed {} findings, {} alert states, {} pull"
            + " requests, {} outbox messages and {} stored renders; {} findings kept under their"
            + " old id (custom resources: re-keyed when a scan reports them again)",
        result.findings(),
        result.alertStates(),
        result.pullRequests(),
        result.outboxRows(),
        renders,
        result.kept());
    return result;
  }

  /**
   * Re-keys, in the database and in the returned list, each open finding stored under a group-less
   * id that one of this scan's drifts reports under a grouped id, so that the scan sees it again
   * instead of resolving it and alerting anew. Runs in the scan's transaction.
   *
   * @param open the cluster's open findings before the scan
   * @param drifts the scan's drifts
   * @return {@code open}, with re-keyed findings replaced by their new form
   */
  public static List<Finding> adoptLegacy(
      Connection c, List<Finding> open, List<ObjectDrift> drifts) throws SQLException {
    Map<String, ObjectDrift> byLegacy = new HashMap<>();
    Map<String, ObjectDrift> byFingerprint = new HashMap<>();
    for (ObjectDrift d : drifts) {
      byFingerprint.putIfAbsent(Fingerprints.of(d), d);
      if (!d.resource().isCoreGroup()) {
        byLegacy.putIfAbsent(Fingerprints.legacy(d), d);
      }
    }
    if (drifts.isEmpty() || open.isEmpty()) {
      return open;
    }
    Set<String> openFingerprints = new HashSet<>();
    open.forEach(f -> openFingerprints.add(f.fingerprint()));
    List<Finding> out = new ArrayList<>(open.size());
    int[] counts = new int[4];
    for (Finding f : open) {
      if (byFingerprint.containsKey(f.fingerprint())) {
        out.add(f);
        continue;
      }
      ObjectDrift d = f.resource().isCoreGroup() ? byLegacy.get(f.fingerprint()) : null;
      String why = "stored before ids carried the API group";
      if (d != null && !d.resource().withGroup("").equals(f.resource())) {
        d = null;
      }
      if (d == null) {
        d = keyedForm(f, byFingerprint, openFingerprints);
        why = "stored before drift paths named list items by their key";
      }
      String newFp = d == null ? null : Fingerprints.of(d);
      if (d == null || openFingerprints.contains(newFp) || exists(c, f.cluster(), newFp)) {
        out.add(f);
        continue;
      }
      apply(c, new Rekey(f.cluster(), f.fingerprint(), newFp, d.resource(), json(d)), counts);
      openFingerprints.add(newFp);
      out.add(
          new Finding(
              f.cluster(),
              newFp,
              d,
              f.firstSeen(),
              f.lastSeen(),
              f.resolvedAt(),
              f.firstRevision(),
              f.lastRevision(),
              f.supersededBy()));
      LOG.info(
          "cluster {}: finding {} {} is now {} ({})",
          f.cluster(),
          f.fingerprint(),
          why,
          newFp,
          d.resource());
    }
    return out;
  }

  /**
   * The drift of this scan that an open finding stored with index paths reports under key paths
   * ({@link Fingerprints#sameBeforeKeyedPaths}), when exactly one does and no open finding has its
   * fingerprint yet.
   */
  private static ObjectDrift keyedForm(
      Finding f, Map<String, ObjectDrift> byFingerprint, Set<String> openFingerprints) {
    ObjectDrift found = null;
    for (Map.Entry<String, ObjectDrift> e : byFingerprint.entrySet()) {
      if (openFingerprints.contains(e.getKey())
          || !Fingerprints.sameBeforeKeyedPaths(f.drift(), e.getValue())) {
        continue;
      }
      if (found != null) {
        return null;
      }
      found = e.getValue();
    }
    return found;
  }

  /** One finding to move from its old fingerprint and id to the new ones. */
  private record Rekey(
      String cluster,
      String oldFingerprint,
      String newFingerprint,
      ResourceId resource,
      String driftJson) {}

  /** A finding that needs no re-keying (core group, Terraform, already grouped). */
  private static final Rekey NOT_NEEDED = new Rekey("", "", "", null, "");

  /**
   * The re-keying of one stored finding: NOT_NEEDED, null when it cannot be resolved (kind of no
   * known group, unreadable drift, or a drift that no longer gives the stored fingerprint).
   */
  private static Rekey planMigration(
      String cluster, String fingerprint, String resourceText, String driftJson) {
    ResourceId id;
    try {
      id = ResourceId.parse(resourceText);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (id.isTerraform() || !id.isCoreGroup()) {
      return NOT_NEEDED;
    }
    ResourceId grouped = ResourceId.parseLegacy(resourceText);
    if (grouped.isCoreGroup()) {
      // a core kind keeps its id and fingerprint; a custom kind waits for adoptLegacy
      return dev.fleetwarden.model.Kinds.builtInGroup(id.kind()) == null ? null : NOT_NEEDED;
    }
    ObjectDrift drift;
    try {
      drift = JSON.readValue(driftJson, ObjectDrift.class);
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
    ObjectDrift old = withResource(drift, id);
    if (!Fingerprints.of(old).equals(fingerprint)) {
      return null;
    }
    ObjectDrift moved = withResource(drift, grouped);
    return new Rekey(cluster, fingerprint, Fingerprints.of(moved), grouped, json(moved));
  }

  private static ObjectDrift withResource(ObjectDrift d, ResourceId id) {
    return new ObjectDrift(id, d.addon(), d.source(), d.type(), d.file(), d.fields());
  }

  private static boolean exists(Connection c, String cluster, String fingerprint)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM fw_finding WHERE cluster = ? AND fingerprint = ?")) {
      ps.setString(1, cluster);
      ps.setString(2, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Moves one finding and what is keyed by its fingerprint; adds to counts. */
  private static void apply(Connection c, Rekey r, int[] counts) throws SQLException {
    counts[0] +=
        update(
            c,
            "UPDATE fw_finding SET fingerprint = ?, resource_id = ?, drift_json = ?"
                + " WHERE cluster = ? AND fingerprint = ?",
            r.newFingerprint,
            r.resource.toString(),
            r.driftJson,
            r.cluster,
            r.oldFingerprint);
    update(
        c,
        "UPDATE fw_finding SET superseded_by = ? WHERE cluster = ? AND superseded_by = ?",
        r.newFingerprint,
        r.cluster,
        r.oldFingerprint);
    counts[1] +=
        update(
            c,
            "UPDATE fw_alert_state SET fingerprint = ? WHERE cluster = ? AND fingerprint = ?",
            r.newFingerprint,
            r.cluster,
            r.oldFingerprint);
    counts[2] +=
        update(
            c,
            "UPDATE fw_pr_state SET fingerprint = ?, resource = ? WHERE cluster = ? AND"
                + " fingerprint = ?",
            r.newFingerprint,
            r.resource.toString(),
            r.cluster,
            r.oldFingerprint);
    counts[3] += moveOutbox(c, r);
  }

  /**
   * The outbox rows of a fingerprint's alert: their channel key is {@code cluster/fingerprint},
   * their dedup key holds the fingerprint, and so does the payload's {@code fingerprint} field.
   */
  private static int moveOutbox(Connection c, Rekey r) throws SQLException {
    record Row(long id, String dedupKey, String payload) {}
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id, dedup_key, payload FROM fw_outbox WHERE channel_key = ?")) {
      ps.setString(1, r.cluster + "/" + r.oldFingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    for (Row row : rows) {
      String payload = row.payload;
      try {
        JsonNode tree = JSON.readTree(payload);
        if (tree instanceof ObjectNode o
            && r.oldFingerprint.equals(o.path("fingerprint").asText(null))) {
          o.put("fingerprint", r.newFingerprint);
          payload = JSON.writeValueAsString(o);
        }
      } catch (JsonProcessingException e) {
        // not a JSON payload: leave it as it is
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE fw_outbox SET channel_key = ?, dedup_key = ?, payload = ? WHERE id = ?")) {
        ps.setString(1, r.cluster + "/" + r.newFingerprint);
        ps.setString(2, row.dedupKey.replace(r.oldFingerprint, r.newFingerprint));
        ps.setString(3, payload);
        ps.setLong(4, row.id);
        ps.executeUpdate();
      }
    }
    return rows.size();
  }

  /** Adds the group of built-in kinds to the ids of each cluster's last render. */
  private static int migrateRenders(Connection c) throws SQLException {
    Map<String, String> changed = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT cluster, resource_ids FROM fw_render");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        List<String> ids;
        try {
          ids = JSON.readValue(rs.getString(2), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
          continue;
        }
        List<String> moved = new ArrayList<>(ids.size());
        for (String id : ids) {
          try {
            moved.add(ResourceId.parseLegacy(id).toString());
          } catch (IllegalArgumentException e) {
            moved.add(id);
          }
        }
        if (!moved.equals(ids)) {
          changed.put(rs.getString(1), json(moved));
        }
      }
    }
    for (Map.Entry<String, String> e : changed.entrySet()) {
      update(
          c, "UPDATE fw_render SET resource_ids = ? WHERE cluster = ?", e.getValue(), e.getKey());
    }
    return changed.size();
  }

  private static int update(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a drift is always writable as JSON", e);
    }
  }
}
