package dev.fleetwarden.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.Ledger;
import dev.fleetwarden.ledger.LedgerContract;
import dev.fleetwarden.ledger.MessageRef;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.OutboxRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The ledger contract on a database, plus what only a database shows: the migrations (Quartz
 * tables, the V5 move of the alert state out of its JSON column), one value hash key shared by the
 * nodes, and claims of two nodes that never overlap. Subclasses pick the database.
 */
abstract class StoreContract extends LedgerContract {
  private StoreConfig config;

  /** A fresh, empty database (not migrated yet). */
  abstract StoreConfig newDatabase() throws Exception;

  JdbcStore store() {
    return (JdbcStore) ledger;
  }

  @Override
  protected Ledger open() throws Exception {
    config = newDatabase().withOutboxLease(LEASE);
    return JdbcStore.open(config, clock);
  }

  @Override
  protected Ledger reopen(Ledger before) {
    ((JdbcStore) before).close();
    return JdbcStore.open(config, clock);
  }

  @Override
  protected void close(Ledger ledger) {
    ((JdbcStore) ledger).close();
  }

  @Test
  void migrationsCreateTheQuartzTablesToo() throws Exception {
    try (Connection c = store().dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM QRTZ_LOCKS")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void valueHashKeyIsCreatedOnceAndSurvivesARestart() throws Exception {
    byte[] key = store().valueHashKey();
    assertThat(key).hasSize(32).isNotEqualTo(new byte[32]);
    restart();
    assertThat(store().valueHashKey()).isEqualTo(key);
    try (JdbcStore otherNode = JdbcStore.open(config.withNodeId("node-b"))) {
      assertThat(otherNode.valueHashKey()).isEqualTo(key);
    }
    try (Connection c = store().dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM fw_value_hash_key")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void concurrentClaimersNeverGetTheSameMessage() throws Exception {
    int n = 60;
    for (int i = 0; i < n; i++) {
      store()
          .outbox()
          .enqueue(
              "k" + i,
              new OutboxMessage(
                  OutboxMessage.Kind.ALERT, C, "fp" + i, "#ops", AlertStatus.OPEN, "t", "[]", "h"));
    }
    JdbcStore other = JdbcStore.open(config.withNodeId("node-b"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        JdbcStore s = t % 2 == 0 ? store() : other;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  List<Long> mine = new ArrayList<>();
                  List<OutboxRow> batch;
                  while (!(batch = s.outbox().claimDue(T0.plusSeconds(1), 7)).isEmpty()) {
                    batch.forEach(m -> mine.add(m.id()));
                  }
                  return mine;
                }));
      }
      go.countDown();
      List<Long> all = Collections.synchronizedList(new ArrayList<>());
      for (Future<List<Long>> f : results) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(n).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
      other.close();
    }
  }

  @Test
  void aV4AlertStateKeptAsJsonReadsBackTheSameAfterTheV5Migration() throws Exception {
    StoreConfig v4 = newDatabase();
    Instant posted = Instant.parse("2026-11-23T08:00:00Z");
    Instant reminded = Instant.parse("2026-11-23T12:00:00.123456Z");
    Instant edited = Instant.parse("2026-11-23T12:30:00Z");
    Flyway.configure()
        .dataSource(v4.jdbcUrl(), v4.user(), v4.password())
        .locations(
            "classpath:db/migration/common",
            "classpath:db/migration/" + JdbcStore.vendor(store().dataSource()))
        .target("4")
        .load()
        .migrate();
    try (Connection c =
            java.sql.DriverManager.getConnection(v4.jdbcUrl(), v4.user(), v4.password());
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO fw_alert_state (fingerprint, cluster, channel, message_ref,"
                    + " payload_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      // as the alert-state adapter of V4 wrote them: Jackson's compact JSON, nulls spelled out
      insert(
          ps,
          "fp-open",
          "C123",
          "{\"ts\":\"1700000000.000100\",\"status\":\"OPEN\",\"createdAt\":\""
              + posted
              + "\",\"remindedAt\":\""
              + reminded
              + "\"}",
          "h1",
          edited);
      insert(
          ps,
          "fp-resolved",
          "C456",
          "{\"ts\":\"1700000001.000200\",\"status\":\"RESOLVED\",\"createdAt\":\""
              + posted
              + "\",\"remindedAt\":null}",
          "h2",
          edited);
      insert(
          ps,
          "fp-unsent",
          null,
          "{\"ts\":null,\"status\":\"OPEN\",\"createdAt\":null,\"remindedAt\":null}",
          null,
          edited);
    }

    try (JdbcStore migrated = JdbcStore.open(v4, clock)) {
      assertThat(migrated.alertStates().find(C, "fp-open"))
          .contains(
              new AlertState(
                  C,
                  "fp-open",
                  "C123",
                  "1700000000.000100",
                  "h1",
                  AlertStatus.OPEN,
                  posted,
                  edited,
                  reminded));
      AlertState resolved = migrated.alertStates().find(C, "fp-resolved").orElseThrow();
      assertThat(resolved)
          .isEqualTo(
              new AlertState(
                  C,
                  "fp-resolved",
                  "C456",
                  "1700000001.000200",
                  "h2",
                  AlertStatus.RESOLVED,
                  posted,
                  edited,
                  null));
      assertThat(resolved.message()).isEqualTo(new MessageRef("C456", "1700000001.000200"));
      assertThat(migrated.alertStates().find(C, "fp-unsent"))
          .contains(
              new AlertState(
                  C, "fp-unsent", null, null, null, AlertStatus.OPEN, null, edited, null));
      try (Connection c = migrated.dataSource().getConnection();
          ResultSet columns = c.getMetaData().getColumns(null, null, null, null)) {
        List<String> alertColumns = new ArrayList<>();
        while (columns.next()) {
          if (columns.getString("TABLE_NAME").equalsIgnoreCase("fw_alert_state")) {
            alertColumns.add(columns.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
          }
        }
        assertThat(alertColumns)
            .contains("message_ts", "status", "created_at", "reminded_at")
            .doesNotContain("message_ref");
      }
    }
  }

  private static void insert(
      PreparedStatement ps,
      String fingerprint,
      String channel,
      String json,
      String hash,
      Instant updated)
      throws Exception {
    ps.setString(1, fingerprint);
    ps.setString(2, C);
    ps.setString(3, channel);
    ps.setString(4, json);
    ps.setString(5, hash);
    ps.setObject(6, Database.ts(updated));
    ps.executeUpdate();
  }
}
