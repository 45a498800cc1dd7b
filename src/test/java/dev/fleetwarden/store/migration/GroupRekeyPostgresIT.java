package dev.fleetwarden.store.migration;

import dev.fleetwarden.store.LocalPostgres;
import dev.fleetwarden.store.StoreConfig;

/** The group migration on a real PostgreSQL server (one fresh database per test). */
class GroupRekeyPostgresIT extends GroupRekeyContract {
  @Override
  StoreConfig newDatabase() throws Exception {
    return LocalPostgres.freshDatabase("group_rekey");
  }
}
