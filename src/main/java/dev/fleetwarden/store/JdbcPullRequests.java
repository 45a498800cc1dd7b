package dev.fleetwarden.store;

import static dev.fleetwarden.store.Database.instant;
import static dev.fleetwarden.store.Database.ts;
import static dev.fleetwarden.store.Database.upsert;

import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.ledger.PullRequests;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PullRequests} on table {@code fw_pr_state}, one row per fingerprint; a pull request not
 * opened yet (number 0) has a NULL {@code pr_number}; a group's member clusters are one
 * comma-separated {@code members} column (cluster names hold no comma).
 */
final class JdbcPullRequests implements PullRequests {
  private final Database db;

  JdbcPullRequests(Database db) {
    this.db = db;
  }

  @Override
  public Optional<PullRequestState> find(String cluster, String fingerprint) {
    return db.inConnection(
        "read pull request state " + fingerprint,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM fw_pr_state WHERE fingerprint = ? AND cluster = ?")) {
            ps.setString(1, fingerprint);
            ps.setString(2, cluster);
            return states(ps).stream().findFirst();
          }
        });
  }

  @Override
  public List<PullRequestState> open(String cluster) {
    return db.inConnection(
        "read open pull requests of cluster " + cluster,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM fw_pr_state WHERE cluster = ? AND status = ?"
                      + " ORDER BY fingerprint")) {
            ps.setString(1, cluster);
            ps.setString(2, PullRequestState.Status.OPEN.name());
            return states(ps);
          }
        });
  }

  @Override
  public void save(PullRequestState s) {
    Instant at = s.updatedAt() == null ? db.clock.instant() : s.updatedAt();
    db.inTransaction(
        "save pull request state " + s.fingerprint(),
        c -> {
          upsert(
              c,
              "UPDATE fw_pr_state SET cluster = ?, resource = ?, branch = ?, pr_number = ?,"
                  + " url = ?, head_commit = ?, status = ?, updated_at = ?, members = ?"
                  + " WHERE fingerprint = ?",
              "INSERT INTO fw_pr_state (cluster, resource, branch, pr_number, url, head_commit,"
                  + " status, updated_at, members, fingerprint)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              s.cluster(),
              s.resource(),
              s.branch(),
              s.number() > 0 ? s.number() : new Database.NullOf(Types.INTEGER),
              s.url(),
              s.commit(),
              s.status().name(),
              ts(at),
              s.members().isEmpty()
                  ? new Database.NullOf(Types.VARCHAR)
                  : String.join(",", s.members()),
              s.fingerprint());
          return null;
        });
  }

  @Override
  public void delete(String cluster, String fingerprint) {
    db.inTransaction(
        "delete pull request state " + fingerprint,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM fw_pr_state WHERE fingerprint = ? AND cluster = ?")) {
            ps.setString(1, fingerprint);
            ps.setString(2, cluster);
            ps.executeUpdate();
          }
          return null;
        });
  }

  private static List<String> members(String column) {
    return column == null || column.isEmpty() ? List.of() : List.of(column.split(","));
  }

  private static List<PullRequestState> states(PreparedStatement ps) throws SQLException {
    List<PullRequestState> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new PullRequestState(
                rs.getString("cluster"),
                rs.getString("fingerprint"),
                rs.getString("resource"),
                rs.getString("branch"),
                rs.getInt("pr_number"),
                rs.getString("url"),
                rs.getString("head_commit"),
                PullRequestState.Status.valueOf(rs.getString("status")),
                instant(rs, "updated_at"),
                members(rs.getString("members"))));
      }
    }
    return out;
  }
}
