package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.fleet.FleetValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsThenFileThenEnvironment() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(
        file,
        """
        fleet:
          repo: https://git.example.com/fleet.git
          branch: release
        http:
          port: 9090
        """);
    Config c = Config.fromFile(file, Map.of("FLEETWARDEN_HTTP_PORT", "9191"));
    assertThat(c.hasFile()).isTrue();
    assertThat(c.get(Setting.FLEET_REPO)).isEqualTo("https://git.example.com/fleet.git");
    assertThat(c.get(Setting.FLEET_BRANCH)).isEqualTo("release");
    assertThat(c.getInt(Setting.HTTP_PORT)).isEqualTo(9191);
    assertThat(c.get(Setting.SCHEDULES_DIR)).isEqualTo("schedules");
    assertThat(Config.defaults(Map.of()).hasFile()).isFalse();
  }

  @Test
  void unknownKeyIsAnErrorWithLine() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "fleet:\n  repo: x\n  brnch: main\n");
    assertThatThrownBy(() -> Config.fromFile(file, Map.of()))
        .isInstanceOf(FleetValidationException.class)
        .satisfies(
            e -> {
              var err = ((FleetValidationException) e).errors().get(0);
              assertThat(err.line()).isEqualTo(3);
              assertThat(err.message()).contains("unknown config key 'fleet.brnch'");
            });
  }

  @Test
  void environmentVariableNamesFollowKeys() {
    assertThat(Setting.STORE_JDBC_URL.env()).isEqualTo("FLEETWARDEN_STORE_JDBC_URL");
    assertThat(Setting.KUBE_REQUEST_TIMEOUT.env())
        .isEqualTo("FLEETWARDEN_KUBE_REQUEST_TIMEOUT_SECONDS");
  }

  @Test
  void secretsComeFromFilesOrNamedVariables() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "xoxb-123\n");
    Config c =
        Config.defaults(
            Map.of(
                "FLEETWARDEN_SLACK_TOKEN_FILE", token.toString(),
                "FLEETWARDEN_GITHUB_TOKEN_ENV", "GH_TOKEN",
                "GH_TOKEN", "ghp_abc"));
    Map<String, String> env = Map.of("GH_TOKEN", "ghp_abc");
    assertThat(c.secret(Setting.SLACK_TOKEN_FILE, Setting.SLACK_TOKEN_ENV, env))
        .contains("xoxb-123");
    assertThat(c.secret(Setting.GITHUB_TOKEN_FILE, Setting.GITHUB_TOKEN_ENV, env))
        .contains("ghp_abc");
    assertThat(c.secret(Setting.STORE_PASSWORD_FILE, Setting.STORE_PASSWORD_ENV, env)).isEmpty();
  }

  @Test
  void readmeDocumentsEverySetting() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting s : Setting.values()) {
      assertThat(readme).as("README documents " + s.key()).contains("`" + s.key() + "`");
      assertThat(readme).as("README documents " + s.env()).contains("`" + s.env() + "`");
    }
  }
}
