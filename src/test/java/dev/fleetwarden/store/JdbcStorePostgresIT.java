package dev.fleetwarden.store;

/**
 * The store contract on a real PostgreSQL server (one fresh database per test); exercises the
 * PostgreSQL migrations and the {@code FOR UPDATE SKIP LOCKED} outbox claim.
 */
class JdbcStorePostgresIT extends StoreContract {
  @Override
  StoreConfig newDatabase() throws Exception {
    return LocalPostgres.freshDatabase("store");
  }
}
