package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.git.GitSettings;
import dev.fleetwarden.git.GitTransport;
import dev.fleetwarden.git.RemoteFixture;
import dev.fleetwarden.git.SshServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remediation branches on an SSH fleet remote ({@code ssh://} or {@code git@}): the publisher
 * authenticates with the fleet's key file and known_hosts, exactly like the fleet repository, on
 * JGit's in-process sshd server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JGitBranchPublisherSshIT {
  static final String BRANCH = "fleetwarden/drift/dev-1/0123456789";
  static KeyPair clientKey;

  @TempDir Path tmp;
  RemoteFixture remote;
  SshServerFixture ssh;
  String first;

  @BeforeAll
  static void generateClientKey() throws Exception {
    clientKey = SshServerFixture.rsaKeyPair();
  }

  @BeforeEach
  void setUp() throws Exception {
    remote = new RemoteFixture(tmp.resolve("remote"));
    first =
        remote.commit(
            Map.of("clusters/dev-1/cluster.yaml", "kind: Cluster\nname: dev-1\n"), "Initial");
    ssh = new SshServerFixture(remote.bareRepo, clientKey, tmp.resolve("ssh"));
  }

  @AfterEach
  void tearDown() throws Exception {
    ssh.close();
    remote.close();
  }

  private GitTransport transport(Path knownHosts) {
    return new GitTransport(
        GitSettings.of(ssh.url, "main", tmp.resolve("fleet-clone"))
            .withSsh(ssh.keyFile, knownHosts));
  }

  @Test
  void clonesPushesListsAndDeletesABranchWithTheFleetKeyAndKnownHosts() throws Exception {
    try (GitTransport transport = transport(ssh.knownHosts)) {
      JGitBranchPublisher publisher =
          new JGitBranchPublisher(transport, "main", tmp.resolve("pr-work"), null);

      BranchPublisher.BaseCheckout base = publisher.fetchBase();
      assertThat(base.commit()).isEqualTo(first);
      assertThat(base.root().resolve("clusters/dev-1/cluster.yaml")).exists();

      String pushed =
          publisher.publish(
              BRANCH,
              base.commit(),
              Map.of("clusters/dev-1/cluster.yaml", "kind: Cluster\nname: dev-1\nrole: x\n"),
              "Revert drift",
              false);
      assertThat(remote.remoteBranch(BRANCH)).as("branch on the server").isEqualTo(pushed);
      assertThat(remote.parentOf(pushed)).isEqualTo(first);
      assertThat(remote.remoteFile(pushed, "clusters/dev-1/cluster.yaml")).contains("role: x");
      assertThat(remote.remoteBranch("main")).as("base untouched").isEqualTo(first);

      assertThat(publisher.remoteHead(BRANCH)).contains(pushed);

      publisher.delete(BRANCH);
      assertThat(remote.remoteBranch(BRANCH)).as("deleted on the server").isNull();
      assertThat(publisher.remoteHead(BRANCH)).isEmpty();
    }
  }

  @Test
  void anUnknownHostKeyIsRefusedInOneLineWithoutKeyMaterial() throws Exception {
    // known_hosts holds another key for this host: a man in the middle, as far as we can tell.
    Path changed =
        SshServerFixture.writeKnownHosts(
            tmp.resolve("ssh/known_hosts_changed"),
            ssh.knownHostsName(),
            SshServerFixture.ecKeyPair());
    Path empty = Files.writeString(tmp.resolve("ssh/known_hosts_empty"), "");
    String keyText = Files.readString(ssh.keyFile);
    for (Path hosts : List.of(changed, empty)) {
      String before = Files.readString(hosts);
      Path work = tmp.resolve("pr-work-" + hosts.getFileName());
      try (GitTransport transport = transport(hosts)) {
        JGitBranchPublisher publisher = new JGitBranchPublisher(transport, "main", work, null);
        for (ThrowingCall call :
            List.<ThrowingCall>of(publisher::fetchBase, () -> publisher.remoteHead(BRANCH))) {
          assertThatThrownBy(call::run)
              .as(hosts.getFileName().toString())
              .isInstanceOfSatisfying(
                  BranchPublisher.PublishException.class,
                  e -> {
                    assertThat(e.getMessage())
                        .doesNotContain("\n")
                        .contains("ssh://***@127.0.0.1:" + ssh.port + "/fleet.git")
                        .contains("Server key did not validate")
                        .contains("knownHostsFile");
                    String trace = SshServerFixture.stackTrace(e);
                    assertThat(trace).doesNotContain("PRIVATE KEY");
                    for (String line : SshServerFixture.keyBody(keyText)) {
                      assertThat(trace).doesNotContain(line);
                    }
                  });
        }
      }
      assertThat(work.resolve(".git")).as("no clone from an unverified host").doesNotExist();
      assertThat(Files.readString(hosts)).as("the key is not added").isEqualTo(before);
    }
    assertThat(remote.remoteBranch(BRANCH)).isNull();
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }
}
