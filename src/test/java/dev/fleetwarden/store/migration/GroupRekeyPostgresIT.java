package dev.fleetwarden.store.migration;

import dev.fleetwarden.store.LocalPostgres;
import dev.fleetwarden.store.StoreConfig;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The group migration on a real PostgreSQL server (one fresh database per test). */
class GroupRekeyPostgresIT extends GroupRekeyContract {
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
    String name = "group_rekey_" + DATABASES.incrementAndGet();
    postgres.createDatabase(name);
    return postgres.storeConfig(name);
  }
}
