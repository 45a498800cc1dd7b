package dev.fleetwarden.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * What the JDBC classes of the store share: the pool, the configuration (dialect and redaction),
 * the clock, and the plumbing of connections, transactions and types. Every SQL statement is one
 * that H2 2.x and PostgreSQL both accept, unless a class asks {@link StoreConfig#isPostgres()}.
 */
final class Database {
  private static final String UNIQUE_VIOLATION = "23505";

  /** The JSON mapper of stored JSON (drifts, outbox messages, render ids). */
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  final DataSource dataSource;
  final StoreConfig config;
  final Clock clock;

  Database(DataSource dataSource, StoreConfig config, Clock clock) {
    this.dataSource = dataSource;
    this.config = config;
    this.clock = clock;
  }

  /** Work done on one connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException, JsonProcessingException;
  }

  /** Runs {@code work} on a connection in auto-commit mode; {@code what} names it in errors. */
  <T> T inConnection(String what, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.apply(c);
    } catch (SQLException | JsonProcessingException e) {
      throw failure(what, e);
    }
  }

  /** Runs {@code work} in one transaction: all of it is committed, or none of it. */
  <T> T inTransaction(String what, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | JsonProcessingException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException | JsonProcessingException e) {
      throw failure(what, e);
    }
  }

  /** A failed operation, named, with the cause redacted. */
  StoreException failure(String what, Exception e) {
    return new StoreException(
        "cannot " + what + ": " + config.redact(e.getMessage()), redacted(config, e));
  }

  /**
   * Update-then-insert on a key-value row. The key is the last parameter of both statements. A
   * concurrent insert of the same key makes the insert fail; the update is then retried.
   */
  static void upsert(Connection c, String update, String insert, Object... params)
      throws SQLException {
    if (execute(c, update, params) == 1) {
      return;
    }
    Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
    try {
      execute(c, insert, params);
    } catch (SQLException e) {
      if (!isUniqueViolation(e)) {
        throw e;
      }
      if (sp != null) {
        c.rollback(sp);
      }
      execute(c, update, params);
    }
  }

  static int execute(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] == null) {
          ps.setNull(i + 1, Types.VARCHAR);
        } else if (params[i] instanceof NullOf n) {
          ps.setNull(i + 1, n.sqlType());
        } else {
          ps.setObject(i + 1, params[i]);
        }
      }
      return ps.executeUpdate();
    }
  }

  /**
   * A NULL of a given SQL type: PostgreSQL needs the type of a NULL parameter, and a plain {@code
   * null} is sent as text.
   */
  record NullOf(int sqlType) {}

  /** A timestamp parameter: the instant, or a typed NULL. */
  static Object timestampOrNull(Instant i) {
    return i == null ? new NullOf(Types.TIMESTAMP_WITH_TIMEZONE) : ts(i);
  }

  static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** An instant as both databases store it: UTC, microseconds. */
  static OffsetDateTime ts(Instant i) {
    return i == null
        ? null
        : OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /**
   * A copy of an exception chain with every message redacted by {@link StoreConfig#redact}: the
   * same classes named, the same stack traces, no password. Drivers quote the URL in some messages
   * (H2: "URL format error ... but is ..."), and an uncaught exception prints its whole chain.
   */
  static Throwable redacted(StoreConfig config, Throwable t) {
    if (t == null) {
      return null;
    }
    String message = t.getMessage() == null ? "" : ": " + config.redact(t.getMessage());
    RedactedCause copy =
        new RedactedCause(t.getClass().getName() + message, redacted(config, t.getCause()));
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  /** Stands in for a driver's exception whose message may have quoted the JDBC URL. */
  static final class RedactedCause extends Exception {
    RedactedCause(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
