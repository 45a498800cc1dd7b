package dev.fleetwarden.store;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL server (one fresh database per test); exercises the
 * PostgreSQL migrations and the {@code FOR UPDATE SKIP LOCKED} outbox claim.
 */
class JdbcStorePostgresIT extends StoreContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static LocalPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    String reason = LocalPostgres.unavailableReason().orElse(null);
    Assumptions.assumeTrue(reason == null, () -> "SKIPPED: " + reason);
    postgres = LocalPostgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  StoreConfig newDatabase() throws Exception {
    String name = "store_" + DATABASES.incrementAndGet();
    postgres.createDatabase(name);
    return postgres.storeConfig(name);
  }
}
