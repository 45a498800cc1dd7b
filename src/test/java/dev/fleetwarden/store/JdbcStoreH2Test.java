package dev.fleetwarden.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 file database. */
class JdbcStoreH2Test extends StoreContract {
  @TempDir Path dir;
  private int databases;

  @Override
  StoreConfig newDatabase() {
    return StoreConfig.embedded(dir.resolve("db" + ++databases));
  }

  @Test
  void theDatabaseIsAFileInTheConfiguredDirectory() throws Exception {
    assertThat(store().config().jdbcUrl())
        .startsWith("jdbc:h2:file:")
        // closed by the service after its jobs, never by H2's own hook under a running scan
        .endsWith(";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE");
    try (var files = Files.list(dir.resolve("db1"))) {
      assertThat(files.map(p -> p.getFileName().toString())).contains("fleetwarden.mv.db");
    }
  }

  @Test
  void twoInstallationsHaveDifferentValueHashKeys(@TempDir Path other) {
    try (JdbcStore second = JdbcStore.open(StoreConfig.embedded(other))) {
      assertThat(second.valueHashKey()).isNotEqualTo(store().valueHashKey());
    }
  }

  @Test
  void configNeverPrintsThePassword() {
    StoreConfig c = StoreConfig.jdbc("jdbc:postgresql://db/fw?password=hunter2", "fw", "s3cret");
    assertThat(c.toString())
        .doesNotContain("s3cret")
        .doesNotContain("hunter2")
        .contains("<redacted>");
  }
}
