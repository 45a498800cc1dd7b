package dev.fleetwarden.store.migration;

import dev.fleetwarden.store.StoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The group migration on the embedded H2 file database. */
class GroupRekeyH2Test extends GroupRekeyContract {
  @TempDir Path dir;

  @Override
  StoreConfig newDatabase() {
    return StoreConfig.embedded(dir);
  }
}
