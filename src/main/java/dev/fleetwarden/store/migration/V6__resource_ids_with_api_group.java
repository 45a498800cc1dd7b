package dev.fleetwarden.store.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Resource ids carry the API group from this version on, which changes the fingerprint of every
 * drift of a non-core kind: re-keys the stored findings, alert states, pull requests, outbox rows
 * and renders with the application's own id and fingerprint code ({@link GroupRekey#migrate}).
 */
public class V6__resource_ids_with_api_group extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    GroupRekey.migrate(context.getConnection());
  }
}
