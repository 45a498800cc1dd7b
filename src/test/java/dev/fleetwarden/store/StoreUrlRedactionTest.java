package dev.fleetwarden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A JDBC URL's password never reaches a log line or an error: not in {@link
 * StoreConfig#redactedUrl()}, not in the message of a failed open, not in any exception of its
 * chain, even when the driver quotes the URL (real H2, HikariCP and PostgreSQL driver).
 */
class StoreUrlRedactionTest {
  @TempDir Path dir;

  /** Each failing open would otherwise keep retrying for the default 30 seconds. */
  private static StoreConfig failFast(String url) {
    return StoreConfig.jdbc(url, "sa", null).withConnectTimeout(Duration.ofMillis(1));
  }

  private static String printed(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:h2:file:/var/fw/db;USER=sa;PASSWORD=hunter2;AUTO_SERVER=FALSE"
            + " | jdbc:h2:file:/var/fw/db;USER=sa;PASSWORD=***;AUTO_SERVER=FALSE",
        "jdbc:h2:file:/var/fw/db;CIPHER=AES;password=file hunter2"
            + " | jdbc:h2:file:/var/fw/db;CIPHER=AES;password=***",
        "jdbc:h2:tcp://db:9092/fw;Password=hunter2 | jdbc:h2:tcp://db:9092/fw;Password=***",
        "jdbc:postgresql://db:5432/fw?user=fw&password=hunter2&sslmode=require"
            + " | jdbc:postgresql://db:5432/fw?…",
        "jdbc:postgresql://fw:hunter2@db:5432/fw | jdbc:postgresql://fw:***@db:5432/fw",
        "jdbc:postgresql://db/fw;sslpassword=hunter2 | jdbc:postgresql://db/fw;sslpassword=***",
        "jdbc:h2:file:/var/fw/db;AUTO_SERVER=FALSE | jdbc:h2:file:/var/fw/db;AUTO_SERVER=FALSE",
      })
  void redactedUrlHidesEveryPassword(String url, String redacted) {
    assertThat(StoreConfig.redactUrl(url)).isEqualTo(redacted).doesNotContain("hunter2");
    StoreConfig config = StoreConfig.jdbc(url, "fw", null);
    assertThat(config.redactedUrl()).isEqualTo(redacted);
    assertThat(config.toString()).doesNotContain("hunter2");
  }

  @Test
  void h2RefusingAWrongPasswordIsReportedWithoutIt() {
    String url = "jdbc:h2:file:" + dir.resolve("fw").toAbsolutePath() + ";AUTO_SERVER=FALSE";
    JdbcStore.open(StoreConfig.jdbc(url + ";PASSWORD=right-pass-5c2e", "sa", null)).close();

    StoreConfig wrong = failFast(url + ";PASSWORD=hunter2-wrong-8a1f");

    assertThatThrownBy(() -> JdbcStore.open(wrong))
        .isInstanceOf(StoreException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage())
                  .contains("PASSWORD=***")
                  .contains("Wrong user name or password");
              assertThat(printed(e)).doesNotContain("hunter2-wrong-8a1f");
            });
  }

  @Test
  void h2QuotingTheWholeUrlInItsErrorIsRedactedInTheWholeChain() {
    // H2 refuses a relative file path and quotes the URL, password included, in its message
    StoreConfig config = failFast("jdbc:h2:file:relative-db;PASSWORD=hunter2-quoted-3b7c");

    assertThatThrownBy(() -> JdbcStore.open(config))
        .isInstanceOf(StoreException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage()).contains("relative").contains("PASSWORD=***");
              assertThat(printed(e))
                  .contains("org.h2.jdbc.JdbcSQLNonTransientConnectionException")
                  .doesNotContain("hunter2-quoted-3b7c");
            });
  }

  @Test
  void postgresUrlTheDriverRejectsIsRedactedInTheWholeChain() {
    // pgjdbc does not take user:password@ and HikariCP quotes the URL it was given
    StoreConfig config = failFast("jdbc:postgresql://fw:hunter2-pg-6e0d@127.0.0.1:1/fw");

    assertThatThrownBy(() -> JdbcStore.open(config))
        .isInstanceOf(StoreException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage()).contains("jdbc:postgresql://fw:***@127.0.0.1:1/fw");
              assertThat(printed(e)).doesNotContain("hunter2-pg-6e0d");
            });
  }

  @Test
  void theConfiguredPasswordIsRedactedFromMessagesToo() {
    StoreConfig config =
        StoreConfig.jdbc("jdbc:postgresql://db/fw?password=in-url-1", "fw", "beside-url-2");

    assertThat(
            config.redact(
                "FATAL: for jdbc:postgresql://db/fw?password=in-url-1 the password beside-url-2"
                    + " or in-url-1 is wrong"))
        .doesNotContain("in-url-1")
        .doesNotContain("beside-url-2")
        .contains("jdbc:postgresql://db/fw?…");
  }
}
