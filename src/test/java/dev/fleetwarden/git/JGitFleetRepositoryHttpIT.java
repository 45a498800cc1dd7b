package dev.fleetwarden.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same repository over smart HTTP: JGit's GitServlet served in-process behind basic auth, the
 * token passed as the password (as GitHub takes tokens).
 */
class JGitFleetRepositoryHttpIT {
  @TempDir Path tmp;
  RemoteFixture remote;
  static final String USER = "fleet-bot";
  static final String TOKEN = "ghp_goodtoken_abcdef";
  GitHttpTestServer server;
  String first;
  String url;

  @BeforeEach
  void setUp() throws Exception {
    remote = new RemoteFixture(tmp.resolve("remote"));
    first = remote.commit(Map.of("fleet.yaml", "kind: Fleet\n"), "Initial fleet");
    server = new GitHttpTestServer(remote.bareRepo, USER, TOKEN);
    url = server.url();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    remote.close();
  }

  @Test
  void clonesFetchesAndPushesWithATokenFromAFile() throws Exception {
    Path tokenFile = tmp.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    GitSettings settings =
        GitSettings.of(url, "main", tmp.resolve("work")).withTokenFile(tokenFile, USER);
    try (JGitFleetRepository repo = new JGitFleetRepository(settings)) {
      assertThat(repo.open()).isEqualTo(first);
      String second =
          remote.commit(Map.of("clusters/dev-1/cluster.yaml", "kind: Cluster\n"), "Add dev-1");
      assertThat(repo.fetch()).isEqualTo(second);
      assertThat(repo.changedPaths(first, second)).containsExactly("clusters/dev-1/cluster.yaml");

      String pushed =
          repo.commitAndPush(
              "fleetwarden/drift-1",
              Map.of("clusters/dev-1/cluster.yaml", "kind: Cluster\n# x\n"),
              "Fix",
              false);
      assertThat(remote.remoteBranch("fleetwarden/drift-1")).isEqualTo(pushed);
      assertThat(remote.parentOf(pushed)).isEqualTo(second);
    }
  }

  @Test
  void aTokenFromTheEnvironmentWorksAndAWrongOneFailsWithoutShowingIt() throws Exception {
    GitSettings settings =
        GitSettings.of(url, "main", tmp.resolve("work-env")).withTokenEnv("FLEET_GIT_TOKEN", USER);
    try (JGitFleetRepository repo =
        new JGitFleetRepository(settings, name -> name.equals("FLEET_GIT_TOKEN") ? TOKEN : null)) {
      assertThat(repo.open()).isEqualTo(first);
    }

    String wrong = "ghp_wrongtoken_0123456789";
    try (JGitFleetRepository repo =
        new JGitFleetRepository(
            GitSettings.of(url, "main", tmp.resolve("work-wrong"))
                .withTokenEnv("FLEET_GIT_TOKEN", USER),
            name -> wrong)) {
      assertThatThrownBy(repo::open)
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString()).doesNotContain(wrong).doesNotContain(TOKEN);
                assertThat(e.getMessage())
                    .contains("check the URL, the network and the credentials");
              });
    }

    try (JGitFleetRepository repo =
        new JGitFleetRepository(
            GitSettings.of(url, "main", tmp.resolve("work-unset"))
                .withTokenEnv("FLEET_GIT_TOKEN", null),
            name -> null)) {
      assertThatThrownBy(repo::open)
          .isInstanceOf(GitException.class)
          .hasMessageContaining("environment variable FLEET_GIT_TOKEN is empty");
    }
  }
}
