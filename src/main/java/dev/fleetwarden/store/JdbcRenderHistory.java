package dev.fleetwarden.store;

import static dev.fleetwarden.store.Database.JSON;
import static dev.fleetwarden.store.Database.ts;
import static dev.fleetwarden.store.Database.upsert;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fleetwarden.ledger.RenderHistory;
import dev.fleetwarden.model.ResourceId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link RenderHistory} on table {@code fw_render} (the resource ids as a JSON array); saving a
 * render also marks its revision good in {@code fw_revision}, in the same transaction.
 */
final class JdbcRenderHistory implements RenderHistory {
  private final Database db;

  JdbcRenderHistory(Database db) {
    this.db = db;
  }

  @Override
  public Set<ResourceId> previous(String cluster) {
    return db.inConnection(
        "read previous render of cluster " + cluster,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT resource_ids FROM fw_render WHERE cluster = ?")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
              TreeSet<ResourceId> set = new TreeSet<>();
              if (rs.next()) {
                List<String> ids =
                    JSON.readValue(rs.getString(1), new TypeReference<List<String>>() {});
                ids.forEach(id -> set.add(ResourceId.parse(id)));
              }
              return set;
            }
          }
        });
  }

  @Override
  public void save(String cluster, String revision, Collection<ResourceId> ids) {
    List<String> sorted = new TreeSet<>(ids).stream().map(ResourceId::toString).toList();
    Instant now = db.clock.instant();
    db.inTransaction(
        "save render of cluster " + cluster,
        c -> {
          upsert(
              c,
              "UPDATE fw_render SET revision = ?, resource_ids = ?, saved_at = ? WHERE cluster = ?",
              "INSERT INTO fw_render (revision, resource_ids, saved_at, cluster) VALUES (?, ?, ?, ?)",
              revision,
              JSON.writeValueAsString(sorted),
              ts(now),
              cluster);
          JdbcRevisions.markGood(c, cluster, revision, now);
          return null;
        });
  }
}
