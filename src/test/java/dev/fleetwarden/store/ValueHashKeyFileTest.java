package dev.fleetwarden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.drift.SecretHasher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The value hash key of the commands without a store: one private file per work directory. */
class ValueHashKeyFileTest {
  @TempDir Path dir;

  @Test
  void createdOnceOwnerOnlyAndTheSameOnEveryLaterRun() throws Exception {
    Path work = dir.resolve("work");

    byte[] first = ValueHashKeyFile.loadOrCreate(work);
    Path file = work.resolve(ValueHashKeyFile.FILE_NAME);

    assertThat(first).hasSize(SecretHasher.KEY_BYTES);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(ValueHashKeyFile.loadOrCreate(work)).isEqualTo(first);
    try (var files = Files.list(work)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void twoWorkDirectoriesHaveDifferentKeys() {
    assertThat(ValueHashKeyFile.loadOrCreate(dir.resolve("a")))
        .isNotEqualTo(ValueHashKeyFile.loadOrCreate(dir.resolve("b")));
  }

  @Test
  void aDamagedFileIsAClearErrorThatNamesItAndNotItsContent() throws Exception {
    Files.writeString(
        dir.resolve(ValueHashKeyFile.FILE_NAME), "not-a-key-c0ffee", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ValueHashKeyFile.loadOrCreate(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.resolve(ValueHashKeyFile.FILE_NAME).toString())
        .hasMessageContaining("delete it")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("c0ffee"));
  }

  @Test
  void anExistingKeyIsReadAsWritten() throws Exception {
    String hex = "5a".repeat(32);
    Files.writeString(dir.resolve(ValueHashKeyFile.FILE_NAME), hex + "\n");

    assertThat(ValueHashKeyFile.loadOrCreate(dir)).isEqualTo(HexFormat.of().parseHex(hex));
  }
}
