package dev.fleetwarden.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.ledger.OutboxRow;
import dev.fleetwarden.reconcile.Alerts;
import dev.fleetwarden.reconcile.FleetService;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service (real Git remote, real renderer, real H2 store) when a fleet commit links a values
 * file to a host file: the commit is a broken commit like one that fails validation (last good
 * render kept, reported once with the link's path, no host content anywhere), not a crash.
 */
class SymlinkedCommitServiceIT {
  private static final String HOST_TOKEN = "host-sa-token-5be2d0";
  private static final String VALUES = "clusters/prod-eu-1/values/ingress.yaml";

  @TempDir Path tmp;
  Git remote;
  JdbcStore store;
  JGitFleetRepository repo;
  FleetService service;

  @BeforeEach
  void setUp() throws Exception {
    Path remoteDir = tmp.resolve("remote");
    copy(Path.of("fleet-repo-example"), remoteDir);
    remote = Git.init().setDirectory(remoteDir.toFile()).setInitialBranch("main").call();
    commit("initial fleet");
    store = JdbcStore.open(StoreConfig.embedded(tmp.resolve("db")));
    repo =
        new JGitFleetRepository(
            GitSettings.of(remoteDir.toUri().toString(), "main", tmp.resolve("clone")));
    Alerts alerts = new Alerts(store.alertStates(), store.outbox(), "#fallback", null);
    service =
        new FleetService(
            repo,
            ExampleCharts.rendering(),
            (cluster, desired) -> {
              throw new AssertionError("no scan in this test");
            },
            null,
            store,
            alerts,
            Clock.systemUTC(),
            null);
    service.start();
  }

  @AfterEach
  void tearDown() {
    repo.close();
    store.close();
    remote.close();
  }

  @Test
  void aCommitLinkingAValuesFileToAHostFileIsABrokenCommitReportedOnce() throws Exception {
    String good = service.revision();
    Path token = tmp.resolve("host/token");
    Files.createDirectories(token.getParent());
    Files.writeString(token, "controller: {replicas: 1}\n# " + HOST_TOKEN + "\n");
    Path values = tmp.resolve("remote").resolve(VALUES);
    String original = Files.readString(values);
    Files.delete(values);
    Files.createSymbolicLink(values, token);
    commit("values from the host");

    service.pollGit();

    assertThat(service.revision()).as("last good render kept").isEqualTo(good);
    assertThat(service.brokenRevision()).isNotNull().isNotEqualTo(good);
    assertThat(service.brokenErrors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo(VALUES);
              assertThat(e.toString())
                  .startsWith(VALUES + ": symlinks are not allowed in the fleet repo");
            });
    List<OutboxRow> messages = store.outbox().claimDue(Instant.now().plusSeconds(3600), 10);
    assertThat(messages).as("one broken-commit message").hasSize(1);
    assertThat(messages.get(0).message().blocks()).contains(VALUES).doesNotContain(HOST_TOKEN);
    assertThat(messages.get(0).message().text()).doesNotContain(HOST_TOKEN);
    assertThat(Files.isSymbolicLink(repo.workTree().resolve(VALUES))).isFalse();
    assertThat(Files.readString(repo.workTree().resolve(VALUES))).isEqualTo(original);

    service.pollGit();
    assertThat(store.outbox().pendingCount()).as("reported once").isEqualTo(1);

    Files.delete(values);
    Files.writeString(values, original.replace("replicas: 4", "replicas: 5"));
    commit("values back in the repo");
    service.pollGit();
    assertThat(service.brokenRevision()).isNull();
    assertThat(service.revision()).isNotEqualTo(good);
  }

  private void commit(String message) throws Exception {
    remote.add().addFilepattern(".").call();
    remote.add().addFilepattern(".").setUpdate(true).call();
    remote.commit().setMessage(message).setSign(false).setAuthor("dev", "dev@example.org").call();
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
